package im.push.session;

import im.common.revocation.Revocation;
import im.common.revocation.SessionRevocations;
import im.protocol.client.ErrorCode;
import im.push.codec.ClientErrors;
import im.push.connection.ConnectionCounters;
import io.netty.channel.ChannelFutureListener;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Closes this node's sessions that a revocation ends (logout, logout everywhere, a ban, a reused
 * refresh token): each gets {@code Error{SESSION_REVOKED}} and its connection closes, as a
 * replaced session does. Only a write is started here, so whichever thread tells of the
 * revocation (a Redis connection's event loop, or the revoking request's in the standalone app)
 * never waits. The connection's own close then lets the session go.
 */
@Singleton
public class RevokedSessions {

    private final SessionRevocations revocations;
    private final SessionRegistry sessions;
    private final ConnectionCounters counters;

    public RevokedSessions(SessionRevocations revocations, SessionRegistry sessions, ConnectionCounters counters) {
        this.revocations = revocations;
        this.sessions = sessions;
        this.counters = counters;
    }

    void listen(@Observes StartupEvent event) {
        revocations.addListener(this::revoked);
    }

    void revoked(Revocation revocation) {
        for (Session session : sessions.sessionsOf(revocation.userId())) {
            if (session.isRevokedBy(revocation)) {
                counters.countRejected(ErrorCode.SESSION_REVOKED);
                session.channel().writeAndFlush(ClientErrors.frame(0, ErrorCode.SESSION_REVOKED,
                        "session revoked: log in again")).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
