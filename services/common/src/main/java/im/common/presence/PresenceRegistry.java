package im.common.presence;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who is online where. Written by push nodes (sessions open and close), read by the router (to
 * which nodes a message goes). In-process in standalone mode, Redis in cluster mode.
 *
 * <p>Epochs fence sessions: every connect of a device gets an epoch higher than any before it, and
 * a disconnect only removes the entry it created. A late disconnect of an old session therefore
 * never removes the newer session of the same device.
 */
public interface PresenceRegistry {

    /** Records a new session of the device on the node; returns its epoch. */
    long connect(long userId, String deviceId, String nodeId);

    /** Removes the device's entry if it is still the session with this epoch; true if removed. */
    boolean disconnect(long userId, String deviceId, long epoch);

    /** The connected devices of a user. */
    List<DevicePresence> devices(long userId);

    /** The current epoch of a device's session, or -1 when it is not connected. */
    default long currentEpoch(long userId, String deviceId) {
        for (DevicePresence device : devices(userId)) {
            if (device.deviceId().equals(deviceId)) {
                return device.epoch();
            }
        }
        return -1;
    }

    /** For each node, which of the users have a device there. */
    default Map<String, Set<Long>> nodesOf(Collection<Long> userIds) {
        Map<String, Set<Long>> byNode = new TreeMap<>();
        for (long userId : userIds) {
            for (DevicePresence device : devices(userId)) {
                byNode.computeIfAbsent(device.nodeId(), node -> new TreeSet<>()).add(userId);
            }
        }
        return byNode;
    }
}
