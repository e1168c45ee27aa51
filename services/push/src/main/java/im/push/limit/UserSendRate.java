package im.push.limit;

import im.common.throttle.AttemptCounter;
import im.common.throttle.AttemptKey;
import im.common.throttle.Attempts;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The per-user send limit ({@link UserLimitsConfig#sendsPerWindow()}), answered on the event loop
 * without a network call: this node counts each user's sends itself and, at most every
 * {@link UserLimitsConfig#shareEvery()}, adds what it counted to the count every node shares
 * ({@link AttemptCounter#hitAll}, one call for all users), learning what the other nodes counted.
 * A send is admitted while the shared count as last seen, plus what this node counted since,
 * stays under the limit.
 *
 * <p>Nothing runs while nobody sends: a share is scheduled by the first send that finds none
 * pending. When the shared count cannot be reached, each node goes on limiting by its own counts
 * (chat goes on; the limit is per node until the counter answers again).
 */
@Singleton
public class UserSendRate {

    private static final Logger LOG = Logger.getLogger(UserSendRate.class);
    static final String BUCKET = "send-user";

    /** What this node knows of one user's current window. Guarded by itself. */
    private static final class Tally {
        long windowEndsAtNanos;
        /** The shared count as the last share answered it (this node's shared sends included). */
        long shared;
        /** Counted here, being added to the shared count now. */
        long sharing;
        /** Counted here since, not shared yet. */
        long unshared;
        /** Forgotten by the map: a send that still holds it takes a fresh one. */
        boolean retired;

        long estimate() {
            return shared + sharing + unshared;
        }
    }

    /** A send refused: when the user may send again. */
    public record Verdict(boolean admitted, Duration retryAfter) {
        static final Verdict ADMITTED = new Verdict(true, Duration.ZERO);
    }

    private final AttemptCounter counter;
    private final int limit;
    private final Duration window;
    private final long shareEveryNanos;
    private final LongSupplier nanoClock;
    private final Map<Long, Tally> tallies = new ConcurrentHashMap<>();
    private final Map<Long, Tally> toShare = new ConcurrentHashMap<>();
    private final AtomicBoolean shareScheduled = new AtomicBoolean();
    private final ScheduledExecutorService sharer;
    private volatile boolean counterDown;

    @Inject
    public UserSendRate(AttemptCounter counter, UserLimitsConfig config) {
        this(counter, config.sendsPerWindow(), config.sendWindow(), config.shareEvery(), System::nanoTime);
    }

    UserSendRate(AttemptCounter counter, int limit, Duration window, Duration shareEvery, LongSupplier nanoClock) {
        this.counter = counter;
        this.limit = limit;
        this.window = window;
        this.shareEveryNanos = shareEvery.toNanos();
        this.nanoClock = nanoClock;
        this.sharer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("im-push-send-rate", true));
    }

    /** Counts one send of the user if the limit admits it. Never blocks: an event loop asks. */
    public Verdict trySend(long userId) {
        long now = nanoClock.getAsLong();
        Tally tally;
        while (true) {
            tally = tallies.computeIfAbsent(userId, id -> new Tally());
            synchronized (tally) {
                if (tally.retired) {
                    continue;
                }
                if (now - tally.windowEndsAtNanos >= 0) {
                    tally.windowEndsAtNanos = now + window.toNanos();
                    tally.shared = 0;
                    tally.unshared = 0;
                }
                if (tally.estimate() >= limit) {
                    return new Verdict(false, Duration.ofNanos(Math.max(1_000_000, tally.windowEndsAtNanos - now)));
                }
                tally.unshared++;
                break;
            }
        }
        toShare.put(userId, tally);
        if (shareScheduled.compareAndSet(false, true)) {
            try {
                sharer.schedule(this::share, shareEveryNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                shareScheduled.set(false); // shutting down
            }
        }
        return Verdict.ADMITTED;
    }

    /** On the sharer thread: adds this node's new counts to the shared ones, learns the totals. */
    void share() {
        shareScheduled.set(false);
        Map<AttemptKey, Long> counts = new HashMap<>();
        Map<AttemptKey, Tally> sent = new HashMap<>();
        for (Long userId : toShare.keySet()) {
            Tally tally = toShare.remove(userId);
            synchronized (tally) {
                if (tally.unshared == 0) {
                    continue;
                }
                AttemptKey key = new AttemptKey(BUCKET, Long.toString(userId));
                counts.put(key, tally.unshared);
                sent.put(key, tally);
                tally.sharing += tally.unshared;
                tally.unshared = 0;
            }
        }
        if (counts.isEmpty()) {
            return;
        }
        Map<AttemptKey, Attempts> totals = null;
        try {
            totals = counter.hitAll(counts, window);
            if (counterDown) {
                counterDown = false;
                LOG.info("shared send counts reachable again");
            }
        } catch (RuntimeException e) {
            if (!counterDown) {
                counterDown = true;
                LOG.warnf("shared send counts unreachable, limiting per node meanwhile: %s", e.getMessage());
            }
        }
        long now = nanoClock.getAsLong();
        for (Map.Entry<AttemptKey, Tally> entry : sent.entrySet()) {
            Tally tally = entry.getValue();
            long added = counts.get(entry.getKey());
            synchronized (tally) {
                tally.sharing -= added;
                Attempts total = totals == null ? null : totals.get(entry.getKey());
                if (total == null) {
                    tally.shared += added; // kept as this node's own count
                } else {
                    // the shared window is the one every node sees: its end replaces this node's guess
                    tally.shared = total.count();
                    tally.windowEndsAtNanos = now + total.untilReset().toNanos();
                }
            }
        }
        forgetEndedWindows(now);
    }

    /** Users whose window ended and who sent nothing since cost nothing to keep. */
    private void forgetEndedWindows(long now) {
        tallies.entrySet().removeIf(entry -> {
            Tally tally = entry.getValue();
            synchronized (tally) {
                tally.retired = now - tally.windowEndsAtNanos >= 0 && tally.sharing == 0 && tally.unshared == 0;
                return tally.retired;
            }
        });
    }

    /** Users this node keeps a window for (tests). */
    int trackedUsers() {
        return tallies.size();
    }

    @PreDestroy
    void shutdown() {
        sharer.shutdownNow();
    }
}
