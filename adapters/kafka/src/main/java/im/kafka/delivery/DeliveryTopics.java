package im.kafka.delivery;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/**
 * Every Kafka name of the delivery adapter, built in one place: the publisher, the consumers and
 * the tests all ask this class, so a name is spelled once.
 *
 * <pre>
 *   topic of node push-0       {namespace}.delivery.push-0
 *   its consumer group         {namespace}.delivery.push-0.handler   (also member id and client id)
 *   the router's producer      {namespace}.delivery.publisher        (client id)
 * </pre>
 *
 * Node ids become part of topic names, so they must use Kafka's topic alphabet
 * ({@code [A-Za-z0-9._-]}); a push node's StatefulSet name such as {@code push-0} does.
 */
@Singleton
public final class DeliveryTopics {

    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]+");

    /** Kafka rejects longer topic names. */
    private static final int MAX_TOPIC_LENGTH = 249;

    private static final String DELIVERY = ".delivery.";

    private final String namespace;

    @Inject
    public DeliveryTopics(KafkaDeliveryConfig config) {
        this(config.namespace());
    }

    public DeliveryTopics(String namespace) {
        this.namespace = requireLegal("namespace", namespace);
    }

    public String namespace() {
        return namespace;
    }

    /** The topic that carries the delivery events of one push node. */
    public String nodeTopic(String nodeId) {
        String topic = namespace + DELIVERY + requireLegal("node id", nodeId);
        if (topic.length() > MAX_TOPIC_LENGTH) {
            throw new IllegalArgumentException("node id too long for a topic name: " + nodeId);
        }
        return topic;
    }

    /**
     * The consumer group of one push node's handler. It doubles as the static member id and the
     * client id: a node has exactly one consumer, so the names cannot clash, and a broker log line
     * names the node directly.
     */
    public String nodeGroup(String nodeId) {
        return nodeTopic(nodeId) + ".handler";
    }

    /** Client id of a process's delivery publisher. */
    public String publisherClientId() {
        return namespace + DELIVERY + "publisher";
    }

    private static String requireLegal(String what, String value) {
        if (value == null || !LEGAL.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must match " + LEGAL + ": '" + value + "'");
        }
        return value;
    }
}
