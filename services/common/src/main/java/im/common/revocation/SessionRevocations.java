package im.common.revocation;

import im.common.token.VerifiedUser;
import java.time.Instant;

/**
 * Which logins no longer count although their access tokens have not expired: every verifier
 * asks {@link #isRevoked} (from memory, so on every call), and live connections close when a
 * listener hears of a revocation. The Redis form keeps the list in Redis and tells every node at
 * once; a node reads the list when it starts and whenever its notice channel reconnects, so a
 * node that missed a notice still refuses the token. The in-process form serves the standalone
 * app.
 *
 * <p>{@link #revoke} may cross the network: call it from a worker thread. {@link #isRevoked}
 * never blocks.
 */
public interface SessionRevocations {

    /**
     * Records the revocation, applies it here at once and tells every node. Listeners here are
     * told before this returns.
     *
     * @throws RevocationsUnavailableException when the list cannot be written (nothing was revoked
     *         elsewhere; the caller answers 503)
     */
    void revoke(Revocation revocation);

    /** Refuses every access token of the session until {@code until}. */
    default void revokeSession(long userId, String sessionId, Instant until) {
        revoke(Revocation.ofSession(userId, sessionId, until));
    }

    /** Refuses every access token of the user issued before {@code issuedBefore}, until {@code until}. */
    default void revokeUser(long userId, Instant issuedBefore, Instant until) {
        revoke(Revocation.ofUser(userId, issuedBefore, until));
    }

    /** Whether a revocation known here refuses this token. Never blocks. */
    boolean isRevoked(VerifiedUser user);

    /** Adds a listener for every later revocation (made here or heard from another node). */
    void addListener(RevocationListener listener);
}
