package im.common.revocation;

import im.common.token.VerifiedUser;
import java.time.Instant;
import java.util.Objects;

/**
 * One revocation: either a single session (every access token carrying its {@code sid}, the
 * refresh-token family it was issued from) or every session of a user whose tokens were issued
 * before a moment (logout everywhere, a ban). It is kept until {@code until}, the moment the last
 * access token it can refuse expires; after that the tokens' own expiry refuses them.
 *
 * @param sessionId the session's id, or null when the revocation covers the whole user
 * @param issuedBeforeEpochSecond for a whole user: tokens whose {@code iat} is below it are
 *        refused (JWT times are whole seconds); 0 for a single session
 */
public record Revocation(long userId, String sessionId, long issuedBeforeEpochSecond, long untilEpochSecond) {

    public Revocation {
        if (sessionId == null && issuedBeforeEpochSecond <= 0) {
            throw new IllegalArgumentException("a user revocation needs its moment");
        }
        if (sessionId != null && sessionId.isEmpty()) {
            throw new IllegalArgumentException("empty session id");
        }
    }

    /** Refuses every access token of the session until {@code until}. */
    public static Revocation ofSession(long userId, String sessionId, Instant until) {
        return new Revocation(userId, Objects.requireNonNull(sessionId, "sessionId"), 0, until.getEpochSecond());
    }

    /**
     * Refuses every access token of the user issued before {@code issuedBefore}, until
     * {@code until} (that moment plus the access-token lifetime).
     */
    public static Revocation ofUser(long userId, Instant issuedBefore, Instant until) {
        return new Revocation(userId, null, issuedBefore.getEpochSecond(), until.getEpochSecond());
    }

    public boolean coversWholeUser() {
        return sessionId == null;
    }

    /** Whether this revocation refuses the token (its session, or its user before its iat). */
    public boolean covers(VerifiedUser user) {
        if (user.userId() != userId) {
            return false;
        }
        return coversWholeUser() ? user.issuedAtEpochSecond() < issuedBeforeEpochSecond
                : sessionId.equals(user.sessionId());
    }
}
