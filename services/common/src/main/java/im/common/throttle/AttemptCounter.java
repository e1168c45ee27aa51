package im.common.throttle;

import java.time.Duration;
import java.util.Map;

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

    /**
     * Counts many attempts of many keys at once (one round trip in a cluster): each key's count
     * grows by its number, atomically per key, and a key without an open window opens one. For
     * callers that count locally first and share their counts now and then, such as a push
     * node's per-user send rate.
     *
     * @param counts attempts per key, each at least 1
     * @return each key's attempts in its current window after these, and how long until it ends
     */
    Map<AttemptKey, Attempts> hitAll(Map<AttemptKey, Long> counts, Duration window);

    /** Forgets the key's count: its next attempt opens a new window. */
    void clear(AttemptKey key);
}
