package im.router.routing;

import im.common.delivery.DeliveryPublisher;
import im.common.presence.PresenceRegistry;
import im.protocol.client.Message;
import im.protocol.delivery.DeliveryEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Hands a stored message to the push nodes that hold a device of its receiver or of its sender
 * (the sender's other devices): one event per node, however many devices are there. Push is the
 * fast path only: a failure here is logged and the devices catch up by sync.
 */
@ApplicationScoped
public class DeliveryRouting {

    private static final Logger LOG = Logger.getLogger(DeliveryRouting.class);

    private final PresenceRegistry presence;
    private final DeliveryPublisher publisher;

    public DeliveryRouting(PresenceRegistry presence, DeliveryPublisher publisher) {
        this.presence = presence;
        this.publisher = publisher;
    }

    /** Publishes a committed private message; never throws. */
    public void publish(Message message, long receiverId) {
        Map<String, Set<Long>> nodes;
        try {
            nodes = presence.nodesOf(List.of(receiverId, message.getSenderId()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "Presence lookup failed for message %d; receivers will sync", message.getMsgId());
            return;
        }
        for (Map.Entry<String, Set<Long>> node : nodes.entrySet()) {
            DeliveryEvent event = DeliveryEvent.newBuilder()
                    .setNodeId(node.getKey())
                    .addAllUserIds(node.getValue())
                    .setExceptUserId(message.getSenderId())
                    .setExceptDeviceId(message.getSenderDeviceId())
                    .setMessage(message)
                    .build();
            try {
                publisher.publish(event);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Delivery of message %d to node %s failed; its devices will sync",
                        message.getMsgId(), node.getKey());
            }
        }
    }
}
