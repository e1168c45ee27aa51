package im.router.send;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import im.router.send.SendSequenceRepository.DeviceSends;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per device and conversation, the last client_seq this node committed: what a numbered send is
 * checked against without reading the device's row first. The row is then moved only from that
 * value (compare and set), so a value gone stale (another node stored a send of the device, or a
 * restart lost the entry) is caught by the store, never trusted. Bounded: at most
 * {@value #MAX_DEVICES} device rows, the least used forgotten first (a forgotten one costs a read).
 */
@ApplicationScoped
public class StoredClientSeqs {

    private static final int MAX_DEVICES = 100_000;

    private final Cache<DeviceSends, Long> known = Caffeine.newBuilder().maximumSize(MAX_DEVICES).build();

    /** A send numbered {@code clientSeq} of the device was committed. */
    public void stored(DeviceSends device, long clientSeq) {
        known.asMap().merge(device, clientSeq, Math::max);
    }

    /** The device's last committed client_seq as this node knows it; -1 when it does not. */
    public long last(DeviceSends device) {
        Long last = known.getIfPresent(device);
        return last == null ? -1 : last;
    }
}
