package im.client.sdk;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: attempt n waits a uniformly random time in
 * [0, min(cap, base * 2^n)], so many clients cut off together do not come back together.
 */
final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private final LongUnaryOperator random;

    /** @param random given a bound b >= 0, a value in [0, b] */
    Backoff(Duration base, Duration cap, LongUnaryOperator random) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
        this.random = random;
    }

    /** The upper bound of the wait before attempt {@code attempt} (0 for the first retry). */
    long ceilingMillis(int attempt) {
        int shift = Math.min(Math.max(0, attempt), 30);
        long ceiling = baseMillis << shift;
        return ceiling <= 0 || ceiling > capMillis ? capMillis : ceiling;
    }

    long delayMillis(int attempt) {
        long ceiling = ceilingMillis(attempt);
        return Math.min(ceiling, Math.max(0, random.applyAsLong(ceiling)));
    }
}
