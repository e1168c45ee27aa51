package im.common.retry;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Deliveries written to devices and not acknowledged yet, per device, keyed by (conversation,
 * seq). Bounded per device: recording beyond the bound forgets the oldest entry. The in-process
 * form serves the standalone app; the Redis form serves a cluster, where the entries outlive the
 * push node that wrote them (its retry checks find them after a restart).
 *
 * <p>Every call returns at once and never blocks (callers include event loops); its result comes
 * through the stage. Calls made by one thread take effect in the order they were made, so an
 * acknowledgement never overtakes the record it clears.
 */
public interface PendingAcks {

    /**
     * Records the delivery, replacing an entry of the same message (a retransmission carries the
     * higher attempt). Completes with true when an older entry was forgotten to stay within the bound.
     */
    CompletionStage<Boolean> record(DeviceKey device, PendingDelivery delivery);

    /** The pending entry of this message, if any. */
    CompletionStage<Optional<PendingDelivery>> find(DeviceKey device, String conversationId, long seq);

    /**
     * The device holds the conversation up to {@code seq} (a DeliverAck is cumulative): forgets
     * every entry of the conversation at or below it; completes with how many there were.
     */
    CompletionStage<Integer> acknowledge(DeviceKey device, String conversationId, long seq);

    /**
     * Forgets the entry only if it is still at this attempt, so that a check of an old attempt
     * never removes a newer retransmission; completes with true if removed.
     */
    CompletionStage<Boolean> remove(DeviceKey device, String conversationId, long seq, int attempt);

    /** The device's session closed: forgets all its entries (its next Hello catches it up). */
    CompletionStage<Void> clear(DeviceKey device);

    /** How many entries the device has. */
    CompletionStage<Integer> size(DeviceKey device);
}
