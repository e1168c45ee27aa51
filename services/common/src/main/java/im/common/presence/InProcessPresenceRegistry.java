package im.common.presence;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Presence for one JVM (standalone mode, and services tested alone). Bounded by the number of
 * open sessions: an entry exists only while its device is connected.
 */
@DefaultBean
@ApplicationScoped
public class InProcessPresenceRegistry implements PresenceRegistry {

    private final Map<Long, Map<String, DevicePresence>> byUser = new ConcurrentHashMap<>();
    // One counter for all devices keeps epochs increasing per device, which is all fencing needs.
    private final AtomicLong epochs = new AtomicLong();

    @Override
    public long connect(long userId, String deviceId, String nodeId) {
        long epoch = epochs.incrementAndGet();
        byUser.computeIfAbsent(userId, id -> new ConcurrentHashMap<>())
                .put(deviceId, new DevicePresence(userId, deviceId, nodeId, epoch));
        return epoch;
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
    public List<DevicePresence> devices(long userId) {
        Map<String, DevicePresence> devices = byUser.get(userId);
        return devices == null ? List.of() : List.copyOf(devices.values());
    }
}
