package im.inprocess.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.retry.DeviceKey;
import im.common.retry.PendingDelivery;
import im.protocol.client.Message;
import org.junit.jupiter.api.Test;

class InProcessPendingAcksTest {

    private static final DeviceKey PHONE = new DeviceKey(2, "phone");

    private final InProcessPendingAcks pending = new InProcessPendingAcks(8);

    private void record(String conversation, long seq, int attempt) {
        pending.record(PHONE, new PendingDelivery(Message.newBuilder().setConversationId(conversation).setSeq(seq)
                .build(), attempt));
    }

    private boolean isPending(String conversation, long seq) {
        return pending.find(PHONE, conversation, seq).toCompletableFuture().join().isPresent();
    }

    @Test
    void cumulativeAckClearsEveryEntryOfItsConversationAtOrBelowItsSeq() {
        record("p:1:2", 1, 0);
        record("p:1:2", 2, 0);
        record("p:1:2", 3, 0);
        record("p:2:3", 1, 0);

        assertEquals(2, pending.acknowledge(PHONE, "p:1:2", 2).toCompletableFuture().join());

        assertFalse(isPending("p:1:2", 1));
        assertFalse(isPending("p:1:2", 2));
        assertTrue(isPending("p:1:2", 3), "above the ack");
        assertTrue(isPending("p:2:3", 1), "another conversation");
    }

    @Test
    void removeAtAnOldAttemptKeepsTheNewerRetransmission() {
        record("p:1:2", 5, 0);
        record("p:1:2", 5, 1);

        assertFalse(pending.remove(PHONE, "p:1:2", 5, 0).toCompletableFuture().join());
        assertEquals(1, pending.find(PHONE, "p:1:2", 5).toCompletableFuture().join().orElseThrow().attempt());
    }
}
