package im.push.session;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One device's authenticated session on this node: the channel it lives on, who it is, and the
 * epoch presence gave it. The token changes on Reauthenticate; everything else is fixed.
 */
public final class Session {

    private final Channel channel;
    private final long userId;
    private final String deviceId;
    private final long epoch;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile String token;

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

    String token() {
        return token;
    }

    void token(String token) {
        this.token = token;
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
