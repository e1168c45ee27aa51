package im.kafka.delivery;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once every push node of this app consumes its topic: a push node that took clients before
 * would hold sessions whose deliveries wait in Kafka. Once assigned, a broker that goes away does
 * not make the node unready by itself (sends are still stored, and devices catch up by sync); the
 * publisher's failures show in the data and in the metrics.
 */
@Readiness
@Singleton
public class DeliveryBusReadiness implements HealthCheck {

    private final KafkaDeliveryConsumer consumer;
    private final KafkaDeliveryPublisher publisher;

    public DeliveryBusReadiness(KafkaDeliveryConsumer consumer, KafkaDeliveryPublisher publisher) {
        this.consumer = consumer;
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka delivery bus")
                .withData("published", publisher.published())
                .withData("failed", publisher.failed());
        boolean ready = true;
        for (NodeDeliveryConsumer node : consumer.consumers()) {
            response.withData("node " + node.nodeId(), node.assigned() ? "consuming" : "waiting for its topic");
            ready &= node.assigned();
        }
        return response.status(ready).build();
    }
}
