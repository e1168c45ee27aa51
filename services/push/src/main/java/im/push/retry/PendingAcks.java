package im.push.retry;

import java.util.Optional;

/**
 * Deliveries written to devices and not acknowledged yet, per device, keyed by (conversation,
 * seq). Bounded per device: recording beyond the bound forgets the oldest entry. In-process in
 * standalone mode; a cluster form (Redis) replaces it by being present. Implementations are safe
 * from any thread and never block the caller for long (it may be an event loop).
 */
public interface PendingAcks {

    /**
     * Records the delivery, replacing an entry of the same message (a retransmission carries the
     * higher attempt). Returns true when an older entry was forgotten to stay within the bound.
     */
    boolean record(DeviceKey device, PendingDelivery delivery);

    /** The pending entry of this message, if any. */
    Optional<PendingDelivery> find(DeviceKey device, String conversationId, long seq);

    /** The device holds the message: forgets the entry; true if there was one. */
    boolean remove(DeviceKey device, String conversationId, long seq);

    /**
     * Forgets the entry only if it is still at this attempt, so that a check of an old attempt
     * never removes a newer retransmission; true if removed.
     */
    boolean remove(DeviceKey device, String conversationId, long seq, int attempt);

    /** The device's session closed: forgets all its entries (its next Hello catches it up). */
    void clear(DeviceKey device);

    /** Entries of the device. */
    int size(DeviceKey device);
}
