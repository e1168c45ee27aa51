package im.auth.token;

import im.auth.problem.ProblemCode;
import im.auth.problem.ProblemException;
import im.common.revocation.RevocationsUnavailableException;
import im.common.revocation.SessionRevocations;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Ends logins for good: their refresh tokens in the database, then their access tokens through
 * {@link SessionRevocations}, which refuses them everywhere and closes the live connections that
 * use them. Not transactional itself: the database change commits before any node is told, so a
 * node that hears of it never finds the family still usable. When the revocation cannot be
 * published the caller answers 503; trying again finds nothing left to revoke in the database and
 * publishes again.
 */
@ApplicationScoped
public class SessionEnds {

    private static final Logger LOG = Logger.getLogger(SessionEnds.class);

    private final RefreshTokens refreshTokens;
    private final AccessTokens accessTokens;
    private final SessionRevocations revocations;

    public SessionEnds(RefreshTokens refreshTokens, AccessTokens accessTokens, SessionRevocations revocations) {
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.revocations = revocations;
    }

    /** The family is revoked in the database already: refuses its access tokens (its {@code sid}). */
    public void endRevokedFamily(RefreshTokens.Family family) {
        Instant until = accessTokens.lastExpiryOfTokensIssuedBy(Instant.now());
        publish(() -> revocations.revokeSession(family.userId(), family.familyId(), until));
    }

    /**
     * Ends every login of the user: revokes all its families, refuses each live one's access
     * tokens by {@code sid}, and every access token of the user issued in an earlier second
     * ({@code iat} counts whole seconds). A login started after this call, even within the same
     * second, is not touched. With {@code alsoThisSecond} (a ban, where no new login can follow)
     * tokens issued within the current second are refused too, which also catches a login that
     * raced the ban.
     */
    public void endAll(long userId, boolean alsoThisSecond) {
        Instant now = Instant.now();
        List<String> families = refreshTokens.revokeAllOf(userId);
        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
        Instant issuedBefore = alsoThisSecond ? second.plusSeconds(1) : second;
        Instant until = accessTokens.lastExpiryOfTokensIssuedBy(issuedBefore);
        publish(() -> {
            revocations.revokeUser(userId, issuedBefore, until);
            for (String familyId : families) {
                revocations.revokeSession(userId, familyId, until);
            }
        });
    }

    private static void publish(Runnable revocation) {
        try {
            revocation.run();
        } catch (RevocationsUnavailableException e) {
            LOG.warnf("revocation not published: %s", e.getMessage());
            throw new ProblemException(ProblemCode.UNAVAILABLE,
                    "refresh tokens revoked, but live sessions not yet told; retry");
        }
    }
}
