package im.auth.token;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKey, String> {

    public Optional<SigningKey> findActive() {
        return find("active = true").firstResultOptional();
    }

    /** Every key whose tokens may still be in use (active and retired), newest first. */
    public List<SigningKey> listNewestFirst(int limit) {
        return find("order by createdAt desc").page(0, limit).list();
    }

    /**
     * Installs {@code key} as the active key unless there already is one. The unique index on
     * {@code active} turns a concurrent second install into a no-op instead of a failure.
     */
    public void insertActiveIfAbsent(SigningKey key) {
        getEntityManager().createNativeQuery(
                        "INSERT INTO signing_key (kid, public_key, private_key, created_at, active)"
                                + " VALUES (?1, ?2, ?3, ?4, TRUE) ON DUPLICATE KEY UPDATE kid = kid")
                .setParameter(1, key.kid)
                .setParameter(2, key.publicKey)
                .setParameter(3, key.privateKey)
                .setParameter(4, key.createdAt)
                .executeUpdate();
    }
}
