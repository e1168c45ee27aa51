package im.common.retry;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Runs retry checks when they are due, for the push node of this process. The standalone app wires
 * the in-process form (a timer wheel); a cluster push node the RabbitMQ form (per-node delay queues:
 * per-queue TTL + dead-letter into the node's check queue), whose checks outlive the process. That
 * is why a check is plain data and its handler is registered once rather than passed per call.
 */
public interface RetryScheduler {

    /**
     * The one handler of due checks. It must not block (it runs on the scheduler's thread); the
     * check counts as done when the stage it returns completes, so a scheduler that keeps checks
     * outside the process lets one go only then (a node that dies meanwhile finds it again).
     */
    void onDue(Function<RetryCheck, CompletionStage<?>> handler);

    /** Hands the check to the handler after about {@code delay}. Never blocks. */
    void schedule(RetryCheck check, Duration delay);
}
