package im.auth.token;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class RefreshTokenRepository implements PanacheRepositoryBase<RefreshToken, String> {

    /**
     * The token, row-locked until the transaction ends, so two refreshes racing with the same
     * token run one after the other and the second is seen as reuse. Native because Hibernate's
     * MySQL 8 dialect writes "FOR UPDATE OF", which MariaDB rejects.
     */
    public Optional<RefreshToken> lock(String tokenHash) {
        return getEntityManager()
                .createNativeQuery("SELECT * FROM refresh_token WHERE token_hash = ?1 FOR UPDATE", RefreshToken.class)
                .setParameter(1, tokenHash)
                .getResultStream().map(RefreshToken.class::cast).findFirst();
    }

    public void revokeFamily(String familyId) {
        update("revoked = true where familyId = ?1", familyId);
    }

    /** The families of the user with a token still usable (not revoked, not expired). */
    public List<String> liveFamiliesOf(long userId, long nowMillis) {
        return getEntityManager()
                .createQuery("select distinct t.familyId from RefreshToken t where t.userId = ?1 and t.revoked = false"
                        + " and t.expiresAt > ?2", String.class)
                .setParameter(1, userId).setParameter(2, nowMillis).getResultList();
    }

    public void revokeAllOf(long userId) {
        update("revoked = true where userId = ?1 and revoked = false", userId);
    }
}
