package im.push.retry;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs retry checks when they are due. In-process in standalone mode (a timer wheel); a cluster
 * form (a RabbitMQ delay queue: per-queue TTL + dead-letter) replaces it by being present, which
 * is why a check is plain data and its handler is registered once rather than passed per call.
 */
public interface RetryScheduler {

    /** The one handler of due checks. It must not block: it runs on the scheduler's thread. */
    void onDue(Consumer<RetryCheck> handler);

    /** Hands the check to the handler after about {@code delay}. Never blocks. */
    void schedule(RetryCheck check, Duration delay);
}
