package im.common.throttle;

import java.time.Duration;

/**
 * Counts attempts per key in fixed windows: a key's first attempt opens its window, later
 * attempts count into it without moving its end, and once it has ended the next attempt opens a
 * new one from zero. Callers compare the count with their limit; the counter itself refuses
 * nothing. The in-process form serves the standalone app (counts live as long as the JVM); the
 * Redis form serves a cluster, where every pod of a service sees the same counts.
 *
 * <p>Calls may cross the network: never call them on an event loop. A counter that cannot answer
 * throws {@link AttemptCounterUnavailableException}.
 */
public interface AttemptCounter {

    /**
     * Counts one attempt of the key, atomically with reading the count: of many concurrent
     * attempts each sees a different count.
     *
     * @param window how long a window opened by this attempt lasts; ignored while one is open
     * @return the attempts in the key's current window, this one included, and how long until it ends
     */
    Attempts hit(AttemptKey key, Duration window);

    /** Forgets the key's count: its next attempt opens a new window. */
    void clear(AttemptKey key);
}
