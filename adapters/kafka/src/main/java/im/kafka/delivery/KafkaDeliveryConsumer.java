package im.kafka.delivery;

import im.common.delivery.DeliveryHandler;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Push side of the cluster's router -> push hop: one {@link NodeDeliveryConsumer} for each
 * {@link DeliveryHandler} bean of the app, each reading only its node's topic in its node's
 * consumer group. A push node has one handler; the router app has none and consumes nothing.
 *
 * <p>Why plain kafka-clients and not SmallRye Reactive Messaging channels: a channel's topic and
 * group are fixed in configuration when the app is built, while here both follow the node id that
 * each handler reports at run time (a StatefulSet ordinal), and the number of consumers follows the
 * number of handlers. Channels would need a pattern subscription or generated per-node config, and
 * their commit strategies acknowledge per message through the reactive pipeline, where this adapter
 * needs one rule it can state plainly: commit after the batch was handed over. The publisher has
 * the same reason (an Emitter with a per-record topic would work, but would add a channel runtime
 * for one call). The Quarkus kafka-client extension still supplies the client and its native-image
 * configuration.
 *
 * <p>Lifecycle: consumers start when the app has started and stop on shutdown, committing what
 * they handed over (see {@link NodeDeliveryConsumer#stop}).
 */
@Singleton
public class KafkaDeliveryConsumer {

    private static final Logger LOG = Logger.getLogger(KafkaDeliveryConsumer.class);

    private final KafkaDeliveryConfig config;
    private final DeliveryTopics topics;
    private final Instance<DeliveryHandler> handlers;
    private final List<NodeDeliveryConsumer> consumers = new CopyOnWriteArrayList<>();

    @Inject
    public KafkaDeliveryConsumer(KafkaDeliveryConfig config, DeliveryTopics topics, Instance<DeliveryHandler> handlers) {
        this.config = config;
        this.topics = topics;
        this.handlers = handlers;
    }

    void start(@Observes StartupEvent started) {
        Set<String> nodes = new HashSet<>();
        for (DeliveryHandler handler : handlers) {
            // Two handlers of one node would share a member id and fence each other.
            if (!nodes.add(handler.nodeId())) {
                throw new IllegalStateException("Two DeliveryHandler beans serve node " + handler.nodeId());
            }
            NodeDeliveryConsumer consumer = new NodeDeliveryConsumer(config, topics, handler);
            consumers.add(consumer);
            consumer.start();
            LOG.infof("Consuming the deliveries of node %s from %s", handler.nodeId(), topics.nodeTopic(handler.nodeId()));
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        for (NodeDeliveryConsumer consumer : consumers) {
            consumer.stop();
        }
        consumers.clear();
    }

    /** The running consumers, one per handler (for health checks and metrics). */
    public List<NodeDeliveryConsumer> consumers() {
        return List.copyOf(consumers);
    }
}
