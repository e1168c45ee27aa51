package im.push.session;

import im.common.retry.DeviceKey;
import im.common.revocation.Revocation;
import im.common.token.VerifiedUser;
import im.protocol.client.Frame;
import im.push.connection.WritabilityHandler;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One device's authenticated session on this node: the channel it lives on, who it is, and the
 * epoch presence gave it. The token and what it permits change on Reauthenticate; everything else
 * is fixed.
 *
 * <p>Deliveries that arrive between registration and HelloOk are held (bounded) and written right
 * after HelloOk, so a device never sees a Deliver before its HelloOk. The session's sends go to
 * the router through its {@link SendPipeline}.
 */
public final class Session {

    /** Deliveries held before HelloOk; beyond it they are dropped and come back by retry or sync. */
    static final int MAX_HELD_BEFORE_GREETING = 256;
    private static final long NO_ACK_WAITING = -1;

    private final Channel channel;
    private final long userId;
    private final String deviceId;
    private final long epoch;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile String token;
    // What the session's token grants (im.common.access.Permissions); replaced with the token on
    // Reauthenticate. Empty until Hello sets it: a session that was never granted anything may nothing.
    private volatile Set<String> permissions = Set.of();
    // Who the session's current token names, with its login (sid) and issue time: what a
    // revocation is matched against. Replaced with the token on Reauthenticate.
    private volatile VerifiedUser verified;
    // Made at the first delivery before HelloOk and let go at HelloOk: most sessions never hold one.
    private List<Frame> held;
    // Made at the first send (most connections of a large node are idle); only the channel's
    // event loop makes or drops it, and answers hold their own reference.
    private SendPipeline sends;
    private boolean greeted;
    // A newer session of the device took over on another node: its pending deliveries are that
    // session's now (they are kept per device), so this one's end must not forget them.
    private volatile boolean replacedElsewhere;
    // Per conversation with a delivery ack on its way to the router: the highest seq acked since.
    // Bounded by the session's requests in flight (an entry lives only while its ack is out). Made
    // at the first ack: an idle session has none.
    private Map<String, Long> acksInFlight;

    public Session(Channel channel, long userId, String deviceId, long epoch, String token) {
        this.channel = channel;
        this.userId = userId;
        this.deviceId = deviceId;
        this.epoch = epoch;
        this.token = token;
    }

    public Channel channel() {
        return channel;
    }

    public long userId() {
        return userId;
    }

    public String deviceId() {
        return deviceId;
    }

    public long epoch() {
        return epoch;
    }

    public DeviceKey device() {
        return new DeviceKey(userId, deviceId);
    }

    /** A newer session of this device opened on another node; this one is closing. */
    public void replacedElsewhere() {
        replacedElsewhere = true;
    }

    /** Whether this session ends because a newer one of its device lives on another node. */
    public boolean isReplacedElsewhere() {
        return replacedElsewhere;
    }

    /**
     * Whether a delivery may be queued on the channel (see {@link WritabilityHandler#admit}); a
     * connection holding too much unread output is closed instead.
     */
    public boolean admits(int maxPendingWriteBytes) {
        return WritabilityHandler.admit(channel, maxPendingWriteBytes);
    }

    /** Writes a delivery frame, or holds it until HelloOk has been written. Safe from any thread. */
    public synchronized void deliver(Frame frame) {
        if (greeted) {
            channel.writeAndFlush(frame);
            return;
        }
        if (held == null) {
            held = new ArrayList<>();
        }
        if (held.size() < MAX_HELD_BEFORE_GREETING) {
            held.add(frame);
        }
    }

    /** Writes HelloOk, then what was held for the device meanwhile; later deliveries go straight out. */
    public synchronized void greet(Frame helloOk) {
        channel.write(helloOk);
        if (held != null) {
            for (Frame frame : held) {
                channel.write(frame);
            }
            held = null;
        }
        channel.flush();
        greeted = true;
    }

    /** The session's sends; call on the channel's event loop. */
    SendPipeline sends(SessionConfig config) {
        if (sends == null) {
            sends = new SendPipeline(config.maxSendsInFlight(), config.maxQueuedSends());
        }
        return sends;
    }

    /** The connection is gone: the sends not yet answered are forgotten (the device resends them). */
    void dropSends() {
        if (sends != null) {
            sends.drop();
        }
    }

    /**
     * A DeliverAck came in. True when the caller forwards it now; false when an ack of the same
     * conversation is on its way: this one is merged (a cursor only moves forward, so the highest
     * covers the lower) and goes out when that one is answered.
     */
    synchronized boolean startAck(String conversationId, long seq) {
        if (acksInFlight == null) {
            acksInFlight = new HashMap<>();
        }
        Long waiting = acksInFlight.get(conversationId);
        if (waiting == null) {
            acksInFlight.put(conversationId, NO_ACK_WAITING);
            return true;
        }
        acksInFlight.put(conversationId, Math.max(waiting, seq));
        return false;
    }

    /** The ack in flight for the conversation is answered: the merged seq to forward next, or -1. */
    synchronized long finishAck(String conversationId) {
        if (acksInFlight == null) {
            return -1;
        }
        Long waiting = acksInFlight.get(conversationId);
        if (waiting == null || waiting == NO_ACK_WAITING) {
            acksInFlight.remove(conversationId);
            return -1;
        }
        acksInFlight.put(conversationId, NO_ACK_WAITING);
        return waiting;
    }

    /** The conversation's ack was not forwarded after all: nothing is on its way any more. */
    synchronized void abandonAck(String conversationId) {
        if (acksInFlight != null) {
            acksInFlight.remove(conversationId);
        }
    }

    String token() {
        return token;
    }

    void token(String token) {
        this.token = token;
    }

    /** A set lookup: asked for every request of the session, never parses the token. */
    boolean may(String permission) {
        return permissions.contains(permission);
    }

    void permissions(Set<String> permissions) {
        this.permissions = permissions;
    }

    void verified(VerifiedUser user) {
        this.verified = user;
    }

    /** Whether the revocation refuses the session's current token. */
    public boolean isRevokedBy(Revocation revocation) {
        VerifiedUser user = verified;
        return user != null && revocation.covers(user);
    }

    /** The session's current token as verified (null before Hello verified it). */
    VerifiedUser verifiedUser() {
        return verified;
    }

    /** Takes one of the session's request slots; false when all are taken. */
    boolean tryAcquire(int max) {
        while (true) {
            int current = inFlight.get();
            if (current >= max) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        inFlight.decrementAndGet();
    }

    @Override
    public String toString() {
        return "Session[user=" + userId + ", device=" + deviceId + ", epoch=" + epoch + "]";
    }
}
