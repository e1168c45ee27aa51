package im.router.send;

import im.router.send.SendSequenceRepository.DeviceSends;
import im.router.store.HighestCommitted;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per device and conversation, the last client_seq this node committed: what a numbered send is
 * checked against without reading the device's row first. The row is then moved only from that
 * value (compare and set), so a value gone stale (another node stored a send of the device, or a
 * restart lost the entry) is caught by the store, never trusted. At most {@value #MAX_DEVICES}
 * device rows are remembered.
 */
@ApplicationScoped
public class StoredClientSeqs {

    private static final int MAX_DEVICES = 100_000;

    private final HighestCommitted<DeviceSends> known = new HighestCommitted<>(MAX_DEVICES);

    /** A send numbered {@code clientSeq} of the device was committed. */
    public void stored(DeviceSends device, long clientSeq) {
        known.committed(device, clientSeq);
    }

    /** The device's last committed client_seq as this node knows it; -1 when it does not. */
    public long last(DeviceSends device) {
        return known.last(device);
    }
}
