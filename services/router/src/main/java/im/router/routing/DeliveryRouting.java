package im.router.routing;

import im.common.delivery.DeliveryPublisher;
import im.common.presence.DevicePresence;
import im.common.presence.PresenceRegistry;
import im.protocol.client.ConversationSettings;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.Message;
import im.protocol.client.MessagesHidden;
import im.protocol.client.Presence;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Typing;
import im.protocol.delivery.DeliveryEvent;
import im.router.offline.OfflineNotifications;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Hands committed facts to the push nodes that hold a device of the users who should hear of them:
 * one event per node, however many devices are there. A stored message goes to its receiver (a
 * group's members) and to the sender's other devices; a delivery receipt to the other members; a read receipt to the
 * other members and the reader's other devices; a typing signal to the other members alone. Push is
 * the fast path only: a failure here is logged, and devices catch up by sync (messages) or
 * GetReceipts (receipts); a typing signal lost is simply not shown.
 *
 * <p>Presence is looked up once per batch of facts, for all their users together: in a cluster
 * that is one Redis round trip for a whole commit of messages, not one per message, on the group
 * commit's single publishing thread. The same lookup names the recipients with no online device,
 * whom the offline webhook, when configured, tells the operator about ({@link OfflineNotifications}).
 */
@ApplicationScoped
public class DeliveryRouting {

    private static final Logger LOG = Logger.getLogger(DeliveryRouting.class);

    /**
     * A committed message and the users whose devices get it: a private message's two members, a
     * group's members at its seq (the sending device is left out by the event).
     */
    public record MessageRoute(Message message, Collection<Long> recipients) {
    }

    /** A moved member cursor and the members who should hear of it. */
    public record ReceiptRoute(DeliveryReceipt receipt, Collection<Long> otherMembers) {
    }

    private final PresenceRegistry presence;
    private final DeliveryPublisher publisher;
    private final OfflineNotifications offline;

    public DeliveryRouting(PresenceRegistry presence, DeliveryPublisher publisher, OfflineNotifications offline) {
        this.presence = presence;
        this.publisher = publisher;
        this.offline = offline;
    }

    /** Publishes committed messages, in list order (a conversation's in seq order); never throws. */
    public void publishMessages(List<MessageRoute> routes) {
        Set<Long> users = new HashSet<>();
        for (MessageRoute route : routes) {
            users.addAll(route.recipients());
        }
        Map<Long, List<DevicePresence>> online = lookUp(users, "messages");
        if (online == null) {
            return;
        }
        for (MessageRoute route : routes) {
            Message message = route.message();
            DeliveryEvent template = DeliveryEvent.newBuilder()
                    .setExceptUserId(message.getSenderId())
                    .setExceptDeviceId(message.getSenderDeviceId())
                    .setMessage(message)
                    .build();
            publishPerNode(nodesOf(online, route.recipients()), template,
                    "message " + message.getMsgId());
        }
        // Only queued here: the webhook's own thread makes the calls.
        offline.offer(routes, online);
    }

    /**
     * Tells the other members' devices that each receipt's recipient now holds the conversation up
     * to its seq. Call after the member-delivered cursors moved and committed; never throws.
     */
    public void publishDeliveryReceipts(List<ReceiptRoute> routes) {
        Set<Long> users = new HashSet<>();
        routes.forEach(route -> users.addAll(route.otherMembers()));
        Map<Long, List<DevicePresence>> online = lookUp(users, "delivery receipts");
        if (online == null) {
            return;
        }
        for (ReceiptRoute route : routes) {
            DeliveryEvent template = DeliveryEvent.newBuilder().setDeliveryReceipt(route.receipt()).build();
            publishPerNode(nodesOf(online, route.otherMembers()), template,
                    "delivery receipt of " + route.receipt().getConversationId());
        }
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
        Set<Long> users = new HashSet<>(otherMembers);
        users.add(receipt.getReaderId());
        Map<Long, List<DevicePresence>> online = lookUp(users, what);
        if (online == null) {
            return;
        }
        Map<String, Set<Long>> nodes = nodesOf(online, otherMembers);
        // The reader's node counts only for its other devices: the reading device knows already.
        for (DevicePresence device : online.getOrDefault(receipt.getReaderId(), List.of())) {
            if (!device.deviceId().equals(readingDeviceId)) {
                nodes.computeIfAbsent(device.nodeId(), node -> new TreeSet<>()).add(receipt.getReaderId());
            }
        }
        publishPerNode(nodes, template, what);
    }

    /**
     * Tells the user's other online devices (all but the one that asked) the user's settings of a
     * conversation as they are now. Call after the change committed; never throws.
     */
    public void publishConversationSettings(long userId, ConversationSettings settings, String askingDeviceId) {
        publishToOwnDevices(userId, askingDeviceId, DeliveryEvent.newBuilder().setConversationSettings(settings),
                "conversation settings of " + settings.getConversationId());
    }

    /** Tells the user's other online devices which messages the user hid. Call after commit; never throws. */
    public void publishMessagesHidden(long userId, MessagesHidden hidden, String askingDeviceId) {
        publishToOwnDevices(userId, askingDeviceId, DeliveryEvent.newBuilder().setMessagesHidden(hidden),
                "hidden messages of " + hidden.getConversationId());
    }

    /** Tells the online devices of the audience (a user's friends) the user's presence. Never throws. */
    public void publishPresence(Presence presence, Collection<Long> audience) {
        publishToDevicesOf(audience, DeliveryEvent.newBuilder().setPresence(presence).build(),
                "presence of user " + presence.getUserId());
    }

    /** A change of the user's own: to its online devices but the one that made it. */
    private void publishToOwnDevices(long userId, String askingDeviceId, DeliveryEvent.Builder payload, String what) {
        Map<Long, List<DevicePresence>> online = lookUp(List.of(userId), what);
        if (online == null) {
            return;
        }
        Map<String, Set<Long>> nodes = new TreeMap<>();
        for (DevicePresence device : online.getOrDefault(userId, List.of())) {
            if (!device.deviceId().equals(askingDeviceId)) {
                nodes.computeIfAbsent(device.nodeId(), node -> new TreeSet<>()).add(userId);
            }
        }
        publishPerNode(nodes, payload.setExceptUserId(userId).setExceptDeviceId(askingDeviceId).build(), what);
    }

    /**
     * Tells the other members' online devices that the typing user is typing (or stopped). Never to
     * the typer's own devices, never stored, never retried: a lost one is replaced by the typer's
     * next within seconds, and a receiver lets a typing one lapse on its own. Never throws.
     */
    public void publishTyping(Typing typing, Collection<Long> otherMembers) {
        List<Long> told = otherMembers.stream().filter(member -> member != typing.getUserId()).toList();
        publishToDevicesOf(told, DeliveryEvent.newBuilder().setTyping(typing).build(),
                "typing in " + typing.getConversationId());
    }

    /** The event to every online device of the users, one event per node. */
    private void publishToDevicesOf(Collection<Long> users, DeliveryEvent template, String what) {
        Map<Long, List<DevicePresence>> online = lookUp(users, what);
        if (online == null) {
            return;
        }
        publishPerNode(nodesOf(online, users), template, what);
    }

    /** The online devices of the users, or null when presence cannot be read (logged). */
    private Map<Long, List<DevicePresence>> lookUp(Collection<Long> users, String what) {
        try {
            return presence.devicesOf(users);
        } catch (RuntimeException e) {
            LOG.warnf("Presence lookup failed for %s; devices will catch up: %s", what, e.getMessage());
            return null;
        }
    }

    /** For each node, which of the users have a device there. */
    private static Map<String, Set<Long>> nodesOf(Map<Long, List<DevicePresence>> online, Collection<Long> users) {
        Map<String, Set<Long>> byNode = new TreeMap<>();
        for (long user : users) {
            for (DevicePresence device : online.getOrDefault(user, List.of())) {
                byNode.computeIfAbsent(device.nodeId(), node -> new TreeSet<>()).add(user);
            }
        }
        return byNode;
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
