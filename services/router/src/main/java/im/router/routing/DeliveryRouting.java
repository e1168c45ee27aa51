package im.router.routing;

import im.common.delivery.DeliveryPublisher;
import im.common.presence.DevicePresence;
import im.common.presence.PresenceRegistry;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.Message;
import im.protocol.client.ReadReceipt;
import im.protocol.delivery.DeliveryEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Hands committed facts to the push nodes that hold a device of the users who should hear of them:
 * one event per node, however many devices are there. A stored message goes to its receiver and
 * to the sender's other devices; a delivery receipt to the other members; a read receipt to the
 * other members and the reader's other devices. Push is the fast path only: a failure here is
 * logged, and devices catch up by sync (messages) or GetReceipts (receipts).
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
        DeliveryEvent template = DeliveryEvent.newBuilder()
                .setExceptUserId(message.getSenderId())
                .setExceptDeviceId(message.getSenderDeviceId())
                .setMessage(message)
                .build();
        publish(List.of(receiverId, message.getSenderId()), template, "message " + message.getMsgId());
    }

    /**
     * Tells the other members' devices that the receipt's recipient now holds the conversation up
     * to its seq. Call after the member-delivered cursor moved and committed; never throws.
     */
    public void publishDeliveryReceipt(DeliveryReceipt receipt, Collection<Long> otherMembers) {
        DeliveryEvent template = DeliveryEvent.newBuilder().setDeliveryReceipt(receipt).build();
        publish(otherMembers, template, "delivery receipt of " + receipt.getConversationId());
    }

    /**
     * Tells the other members' devices, and the reader's own devices except the one that read,
     * how far the reader has read. Call after the read cursor moved and committed; never throws.
     */
    public void publishReadReceipt(ReadReceipt receipt, Collection<Long> otherMembers, String readingDeviceId) {
        DeliveryEvent template = DeliveryEvent.newBuilder()
                .setExceptUserId(receipt.getReaderId())
                .setExceptDeviceId(readingDeviceId)
                .setReadReceipt(receipt)
                .build();
        String what = "read receipt of " + receipt.getConversationId();
        Map<String, Set<Long>> nodes = new TreeMap<>();
        try {
            presence.nodesOf(otherMembers).forEach((node, users) -> nodes.put(node, new TreeSet<>(users)));
            // The reader's node counts only for its other devices: the reading device knows already.
            for (DevicePresence device : presence.devices(receipt.getReaderId())) {
                if (!device.deviceId().equals(readingDeviceId)) {
                    nodes.computeIfAbsent(device.nodeId(), node -> new TreeSet<>()).add(receipt.getReaderId());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Presence lookup failed for %s; devices will catch up", what);
            return;
        }
        publishPerNode(nodes, template, what);
    }

    private void publish(Collection<Long> userIds, DeliveryEvent template, String what) {
        Map<String, Set<Long>> nodes;
        try {
            nodes = presence.nodesOf(userIds);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Presence lookup failed for %s; devices will catch up", what);
            return;
        }
        publishPerNode(nodes, template, what);
    }

    private void publishPerNode(Map<String, Set<Long>> nodes, DeliveryEvent template, String what) {
        for (DeliveryEvent event : eventsPerNode(nodes, template)) {
            try {
                publisher.publish(event);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Publishing %s to node %s failed; its devices will catch up", what, event.getNodeId());
            }
        }
    }

    /** One event per node, naming that node and the users that have a device there. */
    static List<DeliveryEvent> eventsPerNode(Map<String, Set<Long>> nodes, DeliveryEvent template) {
        List<DeliveryEvent> events = new ArrayList<>(nodes.size());
        for (Map.Entry<String, Set<Long>> node : nodes.entrySet()) {
            events.add(template.toBuilder().setNodeId(node.getKey()).addAllUserIds(node.getValue()).build());
        }
        return events;
    }
}
