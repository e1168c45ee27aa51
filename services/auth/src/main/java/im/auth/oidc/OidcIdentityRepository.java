package im.auth.oidc;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class OidcIdentityRepository implements PanacheRepositoryBase<OidcIdentity, OidcIdentity.Key> {

    public Optional<OidcIdentity> find(String provider, String subject) {
        return findByIdOptional(new OidcIdentity.Key(provider, subject));
    }

    public boolean accountLinked(String provider, long userId) {
        return count("provider = ?1 and userId = ?2", provider, userId) > 0;
    }

    /**
     * Links unless the identity is linked already; a conflict is a no-op, so two callbacks racing
     * for one identity never abort a transaction and the caller rereads to learn which link won.
     */
    public void insertIfAbsent(OidcIdentity identity) {
        getEntityManager().createNativeQuery(
                        "INSERT INTO oidc_identity (provider, subject, user_id, created_at) VALUES (?1, ?2, ?3, ?4)"
                                + " ON DUPLICATE KEY UPDATE user_id = user_id")
                .setParameter(1, identity.provider)
                .setParameter(2, identity.subject)
                .setParameter(3, identity.userId)
                .setParameter(4, identity.createdAt)
                .executeUpdate();
    }
}
