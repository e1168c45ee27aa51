package im.kafka.delivery;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The delivery bus in the app's metrics: events published and failed (a failed one reaches its
 * devices by sync instead), and per consuming node the events handed over, the records it could not
 * handle, and the Kafka consumer's own metrics, among them {@code kafka.consumer.fetch.manager.records.lag.max}.
 */
@Singleton
public class KafkaDeliveryMetrics {

    private final MeterRegistry registry;
    private final KafkaDeliveryPublisher publisher;
    private final KafkaDeliveryConsumer consumer;

    public KafkaDeliveryMetrics(MeterRegistry registry, KafkaDeliveryPublisher publisher,
            KafkaDeliveryConsumer consumer) {
        this.registry = registry;
        this.publisher = publisher;
        this.consumer = consumer;
    }

    // After the consumers started (default priority), so that each is there to be bound.
    void bind(@Observes @Priority(5000) StartupEvent event) {
        FunctionCounter.builder("im.delivery.events.published", publisher, KafkaDeliveryPublisher::published)
                .description("Delivery events the broker acknowledged").register(registry);
        FunctionCounter.builder("im.delivery.events.failed", publisher, KafkaDeliveryPublisher::failed)
                .description("Delivery events not published (queue full, broker unreachable)").register(registry);
        for (NodeDeliveryConsumer node : consumer.consumers()) {
            FunctionCounter.builder("im.delivery.events.handed.over", node, NodeDeliveryConsumer::handedOver)
                    .tag("node", node.nodeId()).description("Delivery events handed to this node's channels")
                    .register(registry);
            FunctionCounter.builder("im.delivery.offset.commits", node, NodeDeliveryConsumer::commits)
                    .tag("node", node.nodeId()).description("Consumed positions this node committed")
                    .register(registry);
            FunctionCounter.builder("im.delivery.events.unhandled", node, NodeDeliveryConsumer::failures)
                    .tag("node", node.nodeId()).description("Records this node could not decode or handle")
                    .register(registry);
            new KafkaClientMetrics(node.client()).bindTo(registry);
        }
    }
}
