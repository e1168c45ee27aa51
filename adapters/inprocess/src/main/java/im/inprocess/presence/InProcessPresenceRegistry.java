package im.inprocess.presence;

import im.common.presence.DevicePresence;
import im.common.presence.PresenceRegistry;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Presence for one JVM (the standalone app). Bounded by the number of open sessions: an entry
 * exists only while its device is connected. The node lives exactly as long as this JVM, so
 * hosting a node needs no upkeep.
 */
@Singleton
public class InProcessPresenceRegistry implements PresenceRegistry {

    private final Map<Long, Map<String, DevicePresence>> byUser = new ConcurrentHashMap<>();
    // One counter for all devices keeps epochs increasing per device, which is all fencing needs.
    private final AtomicLong epochs = new AtomicLong();

    @Override
    public void hostNode(String nodeId, Supplier<Collection<DevicePresence>> sessions) {
        // entries live and die with this JVM: they are never lost while the node runs
    }

    @Override
    public void leaveNode(String nodeId) {
        byUser.values().forEach(devices -> devices.values().removeIf(device -> device.nodeId().equals(nodeId)));
        byUser.values().removeIf(Map::isEmpty);
    }

    @Override
    public Connected connect(long userId, String deviceId, String nodeId) {
        long epoch = epochs.incrementAndGet();
        DevicePresence[] replaced = {null};
        byUser.computeIfAbsent(userId, id -> new ConcurrentHashMap<>())
                .compute(deviceId, (id, current) -> {
                    replaced[0] = current;
                    return new DevicePresence(userId, deviceId, nodeId, epoch);
                });
        return new Connected(epoch, replaced[0]);
    }

    @Override
    public boolean disconnect(long userId, String deviceId, long epoch) {
        boolean[] removed = {false};
        byUser.computeIfPresent(userId, (id, devices) -> {
            DevicePresence current = devices.get(deviceId);
            if (current != null && current.epoch() == epoch) {
                devices.remove(deviceId);
                removed[0] = true;
            }
            return devices.isEmpty() ? null : devices;
        });
        return removed[0];
    }

    @Override
    public Map<Long, List<DevicePresence>> devicesOf(Collection<Long> userIds) {
        Map<Long, List<DevicePresence>> found = new HashMap<>();
        for (long userId : userIds) {
            Map<String, DevicePresence> devices = byUser.get(userId);
            if (devices != null && !devices.isEmpty()) {
                found.put(userId, List.copyOf(devices.values()));
            }
        }
        return found;
    }
}
