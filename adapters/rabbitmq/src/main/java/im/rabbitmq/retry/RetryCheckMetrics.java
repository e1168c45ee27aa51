package im.rabbitmq.retry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.function.ToDoubleFunction;

/**
 * Retry checks in the app's metrics: scheduled, the broker messages carrying them, handed to the
 * node when due, kept on the local timer because the broker was away, and dropped; whether the
 * broker link is up.
 */
@Singleton
public class RetryCheckMetrics {

    private final MeterRegistry registry;
    private final RabbitRetryScheduler scheduler;

    public RetryCheckMetrics(MeterRegistry registry, RabbitRetryScheduler scheduler) {
        this.registry = registry;
        this.scheduler = scheduler;
    }

    void bind(@Observes StartupEvent event) {
        counter("im.retry.checks.scheduled", RabbitRetryScheduler::scheduled, "Retry checks scheduled");
        counter("im.retry.messages.published", RabbitRetryScheduler::messagesPublished,
                "Messages published to the delay queues, each carrying one or more retry checks");
        counter("im.retry.checks.due", RabbitRetryScheduler::delivered, "Retry checks handed to the node when due");
        counter("im.retry.checks.local", RabbitRetryScheduler::fellBackToLocalTimer,
                "Retry checks kept on the local timer while the broker was unreachable");
        counter("im.retry.checks.dropped", RabbitRetryScheduler::dropped, "Retry checks neither queued nor timed");
        Gauge.builder("im.retry.broker.connected", scheduler, s -> s.connected() ? 1 : 0)
                .description("1 while the RabbitMQ link is up").register(registry);
    }

    private void counter(String name, ToDoubleFunction<RabbitRetryScheduler> count,
            String description) {
        FunctionCounter.builder(name, scheduler, count).description(description).register(registry);
    }
}
