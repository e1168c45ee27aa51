package im.rabbitmq.retry;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Where this node's retry checks wait: in RabbitMQ, or on the local timer while the broker is
 * away. Never unready on that account: a node on its local timer still retries everything it
 * wrote (only a crash of the node would then lose the checks, and sync covers that), so taking
 * every push node out of service when RabbitMQ fails would turn a degraded edge into none.
 */
@Readiness
@Singleton
public class RetryQueueReadiness implements HealthCheck {

    private final RabbitRetryScheduler scheduler;

    public RetryQueueReadiness(RabbitRetryScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("RabbitMQ retry checks")
                .withData("checks wait", scheduler.connected() ? "in RabbitMQ" : "on the local timer")
                .withData("fell back to the local timer", scheduler.fellBackToLocalTimer())
                .up().build();
    }
}
