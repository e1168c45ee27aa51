package im.common.retry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Retransmission of unacknowledged deliveries and catch-up pages. */
@ConfigMapping(prefix = "im.push.retry")
public interface RetryConfig {

    /**
     * How long a device has to acknowledge a Deliver (or a catch-up page) before it is sent again;
     * retransmission n waits {@code timeout * 2^n}. A device answers within one round trip (well
     * under a second even on a poor mobile link), so 5 s only fires for a frame that was truly
     * lost or a device that stalled, and does not resend to a device that is merely slow.
     */
    @WithDefault("5s")
    Duration timeout();

    /**
     * Retransmissions of one delivery (and resends of one catch-up page) before the node gives up:
     * attempts 0..3 are checked after 5, 10, 20 and 40 s, so with the default timeout a device has
     * 75 s of silence before the node stops. A device silent that long is closed by the idle
     * timeout (three 30 s heartbeats) by then, and its next Hello catches it up from the store.
     */
    @WithDefault("3")
    int maxAttempts();

    /**
     * Unacknowledged deliveries kept per device; beyond it the oldest is forgotten (the device
     * gets it by gap detection or at its next Hello). 256 is far more than a device that acks
     * leaves open (a burst of a few dozen) while a device that acks nothing costs at most 256
     * messages of memory.
     */
    @WithDefault("256")
    int maxPendingPerDevice();

    /**
     * Resolution of the in-process retry timer (Netty HashedWheelTimer tick). Retries are
     * seconds apart, so 100 ms of lateness does not matter and keeps the timer thread idle.
     */
    @WithDefault("100ms")
    Duration timerTick();

    /** 2^20 timeouts is beyond any sensible attempt limit; it keeps the shift from overflowing. */
    int MAX_BACKOFF_SHIFT = 20;

    /** How long after writing attempt n its check is due: {@code timeout * 2^n}. */
    default Duration delayBefore(int attempt) {
        return timeout().multipliedBy(1L << Math.min(Math.max(attempt, 0), MAX_BACKOFF_SHIFT));
    }
}
