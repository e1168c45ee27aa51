package im.push.retry;

import io.quarkus.arc.DefaultBean;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending deliveries in this JVM: one insertion-ordered map per device (so the oldest is the
 * first), each changed only inside {@link ConcurrentHashMap#compute} for that device, which keeps
 * a device's updates atomic without a lock shared between devices.
 */
@DefaultBean
@Singleton
public class InProcessPendingAcks implements PendingAcks {

    private record Key(String conversationId, long seq) {
    }

    private final Map<DeviceKey, LinkedHashMap<Key, PendingDelivery>> byDevice = new ConcurrentHashMap<>();
    private final int maxPerDevice;

    @Inject
    public InProcessPendingAcks(RetryConfig config) {
        this(config.maxPendingPerDevice());
    }

    public InProcessPendingAcks(int maxPerDevice) {
        this.maxPerDevice = Math.max(1, maxPerDevice);
    }

    @Override
    public boolean record(DeviceKey device, PendingDelivery delivery) {
        boolean[] dropped = {false};
        byDevice.compute(device, (key, entries) -> {
            LinkedHashMap<Key, PendingDelivery> map = entries == null ? new LinkedHashMap<>() : entries;
            map.put(new Key(delivery.conversationId(), delivery.seq()), delivery);
            if (map.size() > maxPerDevice) {
                Iterator<Key> oldest = map.keySet().iterator();
                oldest.next();
                oldest.remove();
                dropped[0] = true;
            }
            return map;
        });
        return dropped[0];
    }

    @Override
    public Optional<PendingDelivery> find(DeviceKey device, String conversationId, long seq) {
        PendingDelivery[] found = {null};
        byDevice.computeIfPresent(device, (key, entries) -> {
            found[0] = entries.get(new Key(conversationId, seq));
            return entries;
        });
        return Optional.ofNullable(found[0]);
    }

    @Override
    public boolean remove(DeviceKey device, String conversationId, long seq) {
        return removeIf(device, new Key(conversationId, seq), -1);
    }

    @Override
    public boolean remove(DeviceKey device, String conversationId, long seq, int attempt) {
        return removeIf(device, new Key(conversationId, seq), attempt);
    }

    /** Removes the entry (only at {@code attempt} unless it is negative). */
    private boolean removeIf(DeviceKey device, Key entry, int attempt) {
        boolean[] removed = {false};
        byDevice.computeIfPresent(device, (key, entries) -> {
            PendingDelivery current = entries.get(entry);
            if (current != null && (attempt < 0 || current.attempt() == attempt)) {
                entries.remove(entry);
                removed[0] = true;
            }
            return entries.isEmpty() ? null : entries;
        });
        return removed[0];
    }

    @Override
    public void clear(DeviceKey device) {
        byDevice.remove(device);
    }

    @Override
    public int size(DeviceKey device) {
        int[] size = {0};
        byDevice.computeIfPresent(device, (key, entries) -> {
            size[0] = entries.size();
            return entries;
        });
        return size[0];
    }
}
