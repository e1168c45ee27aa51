package im.push.retry;

import im.common.retry.RetryConfig;
import java.time.Duration;

/** Retry settings for unit tests. */
public record TestRetryConfig(Duration timeout, int maxAttempts, int maxPendingPerDevice, Duration timerTick)
        implements RetryConfig {

    public static TestRetryConfig of(int maxAttempts, int maxPendingPerDevice) {
        return new TestRetryConfig(Duration.ofSeconds(5), maxAttempts, maxPendingPerDevice, Duration.ofMillis(100));
    }
}
