package im.push.retry;

import im.common.retry.RetryCheck;
import im.common.retry.RetryScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** A scheduler whose clock is the test: checks wait until the test fires them. */
public final class ManualRetryScheduler implements RetryScheduler {

    /** A check and the delay it was scheduled with. */
    public record Scheduled(RetryCheck check, Duration delay) {
    }

    private final List<Scheduled> waiting = new ArrayList<>();
    private Function<RetryCheck, CompletionStage<?>> handler = check -> CompletableFuture.completedFuture(null);

    @Override
    public void onDue(Function<RetryCheck, CompletionStage<?>> handler) {
        this.handler = handler;
    }

    @Override
    public synchronized void schedule(RetryCheck check, Duration delay) {
        waiting.add(new Scheduled(check, delay));
    }

    /** What is scheduled and not fired yet, in scheduling order. */
    public synchronized List<Scheduled> waiting() {
        return List.copyOf(waiting);
    }

    /** Lets the time of every check scheduled so far pass (checks they schedule wait for the next call). */
    public void fireAll() {
        List<Scheduled> due;
        synchronized (this) {
            due = List.copyOf(waiting);
            waiting.clear();
        }
        for (Scheduled scheduled : due) {
            handler.apply(scheduled.check());
        }
    }
}
