package im.client.sdk;

import im.protocol.client.Frame;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Requests waiting for their answer, by request id. Each entry leaves the map exactly once: when its
 * answer or Error arrives, when its timeout fires, or when the connection fails. The map never holds
 * more than {@code maxPending} entries; a request beyond that fails at once.
 */
final class PendingRequests {

    private final int maxPending;
    private final TimeoutScheduler scheduler;
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(CompletableFuture<Frame> future, Runnable cancelTimeout) {
    }

    PendingRequests(int maxPending, TimeoutScheduler scheduler) {
        if (maxPending <= 0) {
            throw new IllegalArgumentException("maxPending must be positive");
        }
        this.maxPending = maxPending;
        this.scheduler = scheduler;
    }

    /** A future for the answer to {@code requestId}, failed with a TimeoutException after {@code timeout}. */
    CompletableFuture<Frame> register(long requestId, Duration timeout) {
        CompletableFuture<Frame> future = new CompletableFuture<>();
        // Checked before inserting: a burst may overshoot by the number of concurrent callers at
        // most, which keeps the bound without a lock on the hot path.
        if (entries.size() >= maxPending) {
            future.completeExceptionally(new RejectedExecutionException(
                    "too many requests waiting for an answer (" + maxPending + ")"));
            return future;
        }
        Runnable cancel = scheduler.schedule(() -> fail(requestId, new TimeoutException(
                "no answer to request " + requestId + " within " + timeout.toMillis() + " ms")), timeout);
        if (entries.putIfAbsent(requestId, new Entry(future, cancel)) != null) {
            cancel.run();
            future.completeExceptionally(new IllegalStateException("request id in use: " + requestId));
        }
        return future;
    }

    /** Completes the request with its answer; false when nothing waits for it (timed out, unknown). */
    boolean complete(long requestId, Frame answer) {
        Entry entry = entries.remove(requestId);
        if (entry == null) {
            return false;
        }
        entry.cancelTimeout().run();
        return entry.future().complete(answer);
    }

    boolean fail(long requestId, Throwable cause) {
        Entry entry = entries.remove(requestId);
        if (entry == null) {
            return false;
        }
        entry.cancelTimeout().run();
        return entry.future().completeExceptionally(cause);
    }

    /** Fails every waiting request, e.g. when the connection is gone. */
    void failAll(Throwable cause) {
        for (Long id : entries.keySet()) {
            fail(id, cause);
        }
    }

    int size() {
        return entries.size();
    }
}
