package im.common.throttle;

import java.time.Duration;

/**
 * A key's attempts in its current window, the one just counted included, and how long until the
 * window ends (never negative).
 */
public record Attempts(long count, Duration untilReset) {

    /** The wait to announce in a {@code Retry-After}: whole seconds, rounded up, at least 1. */
    public long retryAfterSeconds() {
        long millis = untilReset.toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
