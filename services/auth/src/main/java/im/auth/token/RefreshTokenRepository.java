package im.auth.token;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
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
}
