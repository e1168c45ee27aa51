package im.router.offline;

import java.time.Duration;
import java.util.Optional;

/** The hook's settings for unit tests: the defaults unless a test names others. */
record TestConfig(Optional<String> url, Optional<String> secret, Duration batchWindow, int maxBatch, int attempts,
        Duration backoff, Duration timeout, int queueCapacity) implements OfflineWebhookConfig {

    static TestConfig of(String url, String secret) {
        return new TestConfig(Optional.ofNullable(url), Optional.ofNullable(secret), Duration.ofSeconds(1), 100, 5,
                Duration.ofSeconds(1), Duration.ofSeconds(5), 10_000);
    }

    TestConfig withQueue(int capacity, int maxBatch, Duration batchWindow) {
        return new TestConfig(url, secret, batchWindow, maxBatch, attempts, backoff, timeout, capacity);
    }
}
