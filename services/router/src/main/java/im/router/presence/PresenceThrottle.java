package im.router.presence;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * At most one presence change per user per interval: a change within the interval after the last
 * one told waits for its end, and then whatever the user's state is by then is told (a burst of
 * connects and disconnects becomes one update, or none when it ends where it began).
 *
 * <p>{@code tell} is given the user and answers whether it told anything; it decides, from the
 * registry, whether the state differs from the one told last.
 */
final class PresenceThrottle {

    private final long intervalMillis;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private final LongPredicate tell;
    // Per user: when it was last told, or -1 while an update waits. Users not heard of for an
    // interval are dropped by the timer's sweep, so the map holds recent users only.
    private final Map<Long, Long> lastTold = new ConcurrentHashMap<>();
    private static final long WAITING = -1;

    PresenceThrottle(long intervalMillis, LongSupplier clock, ScheduledExecutorService timer, LongPredicate tell) {
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.timer = timer;
        this.tell = tell;
    }

    /** The user's presence may have changed. */
    void changed(long userId) {
        long now = clock.getAsLong();
        Decision[] decision = {Decision.TELL_NOW};
        long[] delay = {0};
        lastTold.compute(userId, (user, told) -> {
            if (told != null && told < 0) {
                decision[0] = Decision.ALREADY_WAITING;
                return told;
            }
            if (told == null || now - told >= intervalMillis) {
                decision[0] = Decision.TELL_NOW;
                return now;
            }
            decision[0] = Decision.WAIT;
            delay[0] = told + intervalMillis - now;
            return WAITING;
        });
        switch (decision[0]) {
            case WAIT -> timer.schedule(() -> {
                lastTold.put(userId, clock.getAsLong());
                tell.test(userId);
            }, delay[0], TimeUnit.MILLISECONDS);
            case TELL_NOW -> {
                if (!tell.test(userId)) {
                    // Nothing changed: the next real change need not wait for this one.
                    lastTold.remove(userId, now);
                }
            }
            case ALREADY_WAITING -> {
                // the waiting update tells the state as it will be then
            }
        }
    }

    private enum Decision { TELL_NOW, WAIT, ALREADY_WAITING }

    /** Forgets users told longer than an interval ago (none of them has an update waiting). */
    void sweep() {
        long now = clock.getAsLong();
        lastTold.entrySet().removeIf(e -> e.getValue() >= 0 && now - e.getValue() >= intervalMillis);
    }

    int tracked() {
        return lastTold.size();
    }
}
