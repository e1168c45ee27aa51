package im.inprocess.retry;

import im.common.retry.DeviceKey;
import im.common.retry.PendingAcks;
import im.common.retry.PendingDelivery;
import im.common.retry.RetryConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending deliveries in this JVM: one insertion-ordered map per device (so the oldest is the
 * first), each changed only inside {@link ConcurrentHashMap#compute} for that device, which keeps
 * a device's updates atomic without a lock shared between devices. Every call completes before it
 * returns.
 */
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
    public CompletionStage<Boolean> record(DeviceKey device, PendingDelivery delivery) {
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
        return CompletableFuture.completedFuture(dropped[0]);
    }

    @Override
    public CompletionStage<Optional<PendingDelivery>> find(DeviceKey device, String conversationId, long seq) {
        PendingDelivery[] found = {null};
        byDevice.computeIfPresent(device, (key, entries) -> {
            found[0] = entries.get(new Key(conversationId, seq));
            return entries;
        });
        return CompletableFuture.completedFuture(Optional.ofNullable(found[0]));
    }

    @Override
    public CompletionStage<Integer> acknowledge(DeviceKey device, String conversationId, long seq) {
        int[] removed = {0};
        byDevice.computeIfPresent(device, (key, entries) -> {
            Iterator<Key> keys = entries.keySet().iterator();
            while (keys.hasNext()) {
                Key entry = keys.next();
                if (entry.seq() <= seq && entry.conversationId().equals(conversationId)) {
                    keys.remove();
                    removed[0]++;
                }
            }
            return entries.isEmpty() ? null : entries;
        });
        return CompletableFuture.completedFuture(removed[0]);
    }

    @Override
    public CompletionStage<Boolean> remove(DeviceKey device, String conversationId, long seq, int attempt) {
        Key entry = new Key(conversationId, seq);
        boolean[] removed = {false};
        byDevice.computeIfPresent(device, (key, entries) -> {
            PendingDelivery current = entries.get(entry);
            if (current != null && current.attempt() == attempt) {
                entries.remove(entry);
                removed[0] = true;
            }
            return entries.isEmpty() ? null : entries;
        });
        return CompletableFuture.completedFuture(removed[0]);
    }

    @Override
    public CompletionStage<Void> clear(DeviceKey device) {
        byDevice.remove(device);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Integer> size(DeviceKey device) {
        int[] size = {0};
        byDevice.computeIfPresent(device, (key, entries) -> {
            size[0] = entries.size();
            return entries;
        });
        return CompletableFuture.completedFuture(size[0]);
    }
}
