package im.common.presence;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Who is online where. Written by push nodes (sessions open and close), read by the router (to
 * which nodes a message goes) and by push nodes (where a retransmission goes). The in-process form
 * serves the standalone app; the Redis form serves a cluster. Calls may cross the network: never
 * call them on an event loop.
 *
 * <p>Epochs fence sessions: every connect of a device gets an epoch higher than any before it, and
 * a disconnect only removes the entry it created. A late disconnect of an old session therefore
 * never removes the newer session of the same device, and a slow connect never shadows a newer one.
 *
 * <p>Entries live with the node that wrote them: a node that stops or dies takes its entries with
 * it (at once on a clean stop, within the registry's expiry after a crash), so a dead node is
 * never named as a device's home for long.
 */
public interface PresenceRegistry {

    /** What a connect did: the new session's epoch and the session of the device it replaced, if any. */
    record Connected(long epoch, DevicePresence replaced) {
    }

    /**
     * This process hosts the push node {@code nodeId}: from now on the registry keeps the node's
     * entries alive while the process runs. Called once by the node at start, before any connect.
     * When the registry finds that it lost the node's entries (a Redis restarted without its
     * data), it writes the node's open sessions, as {@code sessions} lists them, again: a device
     * that stays connected through the loss is reachable again without reconnecting.
     */
    void hostNode(String nodeId, Supplier<Collection<DevicePresence>> sessions);

    /** The node stops cleanly: its entries go at once. */
    void leaveNode(String nodeId);

    /** Records a new session of the device on the node (hosted by this process). */
    Connected connect(long userId, String deviceId, String nodeId);

    /** Removes the device's entry if it is still the session with this epoch; true if removed. */
    boolean disconnect(long userId, String deviceId, long epoch);

    /** The connected devices of each user (users with none are absent), in a bounded few round trips. */
    Map<Long, List<DevicePresence>> devicesOf(Collection<Long> userIds);

    /** The connected devices of a user. */
    default List<DevicePresence> devices(long userId) {
        return devicesOf(List.of(userId)).getOrDefault(userId, List.of());
    }

    /** For each node, which of the users have a device there (one lookup for all of them). */
    default Map<String, Set<Long>> nodesOf(Collection<Long> userIds) {
        Map<String, Set<Long>> byNode = new TreeMap<>();
        for (List<DevicePresence> devices : devicesOf(userIds).values()) {
            for (DevicePresence device : devices) {
                byNode.computeIfAbsent(device.nodeId(), node -> new TreeSet<>()).add(device.userId());
            }
        }
        return byNode;
    }
}
