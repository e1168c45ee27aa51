package im.inprocess.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import im.common.throttle.AttemptCounter;
import im.common.throttle.AttemptKey;
import im.common.throttle.Attempts;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Attempt counts in this JVM: one bounded Caffeine cache of open windows, each entry expiring
 * when its window ends. A key's count changes only inside the cache map's {@code compute} for
 * that key, so concurrent attempts of one key each see their own count without a lock shared
 * between keys. Never blocks on anything but that map.
 */
@Singleton
public class InProcessAttemptCounter implements AttemptCounter {

    /** An open window: its attempts so far and when it ends, on the ticker's clock. */
    private record Window(long count, long endsAtNanos) {
    }

    private final Ticker ticker;
    private final Cache<AttemptKey, Window> windows;

    @Inject
    public InProcessAttemptCounter(InProcessThrottleConfig config) {
        this(config.maxKeys(), Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    /**
     * With the clock windows are measured on and the executor Caffeine evicts on (in tests a fake
     * clock and the caller's thread).
     */
    InProcessAttemptCounter(long maxKeys, Ticker ticker, Executor maintenance) {
        this.ticker = ticker;
        this.windows = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfter(new UntilTheWindowEnds())
                .ticker(ticker)
                .executor(maintenance)
                .build();
    }

    @Override
    public Attempts hit(AttemptKey key, Duration window) {
        requirePositive(window);
        return add(key, 1, window, ticker.read());
    }

    @Override
    public Map<AttemptKey, Attempts> hitAll(Map<AttemptKey, Long> counts, Duration window) {
        requirePositive(window);
        long now = ticker.read();
        Map<AttemptKey, Attempts> after = new HashMap<>(counts.size() * 2);
        counts.forEach((key, count) -> after.put(key, add(key, count, window, now)));
        return after;
    }

    private Attempts add(AttemptKey key, long count, Duration window, long now) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        // An ended window may still sit in the cache until Caffeine sweeps it: it counts as none.
        Window counted = windows.asMap().compute(key, (k, open) -> open == null || open.endsAtNanos() - now <= 0
                ? new Window(count, now + window.toNanos())
                : new Window(open.count() + count, open.endsAtNanos()));
        return new Attempts(counted.count(), Duration.ofNanos(Math.max(0, counted.endsAtNanos() - now)));
    }

    private static void requirePositive(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
    }

    @Override
    public void clear(AttemptKey key) {
        windows.invalidate(key);
    }

    /** Keys held now, after pending evictions. */
    long size() {
        windows.cleanUp();
        return windows.estimatedSize();
    }

    /** Each entry lives until its window ends; reading it does not extend it. */
    private static final class UntilTheWindowEnds implements Expiry<AttemptKey, Window> {

        @Override
        public long expireAfterCreate(AttemptKey key, Window window, long currentTime) {
            return Math.max(0, window.endsAtNanos() - currentTime);
        }

        @Override
        public long expireAfterUpdate(AttemptKey key, Window window, long currentTime, long currentDuration) {
            return Math.max(0, window.endsAtNanos() - currentTime);
        }

        @Override
        public long expireAfterRead(AttemptKey key, Window window, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
