package im.push.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.retry.DeviceKey;
import im.common.retry.RetryCheck;
import im.inprocess.presence.InProcessPresenceRegistry;
import im.inprocess.retry.InProcessPendingAcks;
import im.protocol.client.Message;
import im.protocol.delivery.DeliveryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry rules, with the test as the clock (manual scheduler) and a same-thread executor. */
class DeliveryRetriesTest {

    private static final DeviceKey BOB_PHONE = new DeviceKey(2, "phone");

    private final ManualRetryScheduler scheduler = new ManualRetryScheduler();
    private final InProcessPresenceRegistry presence = new InProcessPresenceRegistry();
    private final List<DeliveryEvent> published = new ArrayList<>();
    private final InProcessPendingAcks pending = new InProcessPendingAcks(8);
    private final DeliveryRetries retries = new DeliveryRetries(TestRetryConfig.of(3, 8), pending, scheduler,
            presence, published::add, Runnable::run, "push-1");

    private static Message message(long seq) {
        return Message.newBuilder().setMsgId(1000 + seq).setConversationId("p:1:2").setSeq(seq).build();
    }

    @Test
    void writtenDeliveryIsPendingAndCheckedAfterTheTimeout() {
        retries.sent(BOB_PHONE, message(1), 0);

        assertEquals(1, pending.size(BOB_PHONE).toCompletableFuture().join());
        assertEquals(List.of(new ManualRetryScheduler.Scheduled(new RetryCheck(2, "phone", "p:1:2", 1, 0),
                Duration.ofSeconds(5))), scheduler.waiting());
    }

    @Test
    void eachRetransmissionWaitsTwiceAsLongAsThePreviousOne() {
        assertEquals(Duration.ofSeconds(5), retries.delayBefore(0));
        assertEquals(Duration.ofSeconds(10), retries.delayBefore(1));
        assertEquals(Duration.ofSeconds(20), retries.delayBefore(2));
        assertEquals(Duration.ofSeconds(40), retries.delayBefore(3));
    }

    @Test
    void unacknowledgedDeliveryIsPublishedToTheDevicesNodeWithTheNextAttempt() {
        presence.connect(2, "phone", "push-1");
        retries.sent(BOB_PHONE, message(1), 0);

        scheduler.fireAll();

        assertEquals(List.of(DeliveryEvent.newBuilder().setNodeId("push-1").addUserIds(2)
                .setTargetDeviceId("phone").setAttempt(1).setMessage(message(1)).build()), published);
        assertEquals(1, retries.retransmitted());
    }

    @Test
    void acknowledgedDeliveryIsNotSentAgain() {
        presence.connect(2, "phone", "push-1");
        retries.sent(BOB_PHONE, message(1), 0);

        retries.acknowledged(BOB_PHONE, "p:1:2", 1);
        scheduler.fireAll();

        assertTrue(published.isEmpty());
        assertEquals(0, pending.size(BOB_PHONE).toCompletableFuture().join());
    }

    @Test
    void afterMaxAttemptsTheDeliveryIsDroppedAndNotSentAgain() {
        presence.connect(2, "phone", "push-1");
        retries.sent(BOB_PHONE, message(1), 0);
        for (int attempt = 1; attempt <= 3; attempt++) {
            scheduler.fireAll();
            DeliveryEvent retransmission = published.get(published.size() - 1);
            assertEquals(attempt, retransmission.getAttempt());
            // the node that holds the device writes it again, which records the new attempt
            retries.sent(BOB_PHONE, retransmission.getMessage(), retransmission.getAttempt());
        }

        scheduler.fireAll();

        assertEquals(3, published.size());
        assertEquals(0, pending.size(BOB_PHONE).toCompletableFuture().join());
        assertEquals(1, retries.givenUp());
        assertTrue(scheduler.waiting().isEmpty());
    }

    @Test
    void checkOfAnOlderAttemptLeavesTheNewerOneAlone() {
        presence.connect(2, "phone", "push-1");
        retries.sent(BOB_PHONE, message(1), 0);
        retries.sent(BOB_PHONE, message(1), 1);
        ManualRetryScheduler.Scheduled older = scheduler.waiting().get(0);

        retries.check(older.check());

        assertTrue(published.isEmpty());
        assertEquals(1, pending.find(BOB_PHONE, "p:1:2", 1).toCompletableFuture().join().orElseThrow().attempt());
    }

    @Test
    void closedSessionLosesItsPendingDeliveries() {
        presence.connect(2, "phone", "push-1");
        retries.sent(BOB_PHONE, message(1), 0);
        retries.sent(BOB_PHONE, message(2), 0);

        retries.closed(BOB_PHONE);
        scheduler.fireAll();

        assertTrue(published.isEmpty());
        assertEquals(0, pending.size(BOB_PHONE).toCompletableFuture().join());
    }

    @Test
    void deviceThatIsNoLongerConnectedIsNotRetriedAndItsEntryGoes() {
        retries.sent(BOB_PHONE, message(1), 0);

        scheduler.fireAll();

        assertTrue(published.isEmpty());
        assertEquals(0, pending.size(BOB_PHONE).toCompletableFuture().join());
    }

    @Test
    void deviceThatMovedToAnotherNodeIsRetriedThereAndNotTrackedHere() {
        presence.connect(2, "phone", "push-2");
        retries.sent(BOB_PHONE, message(1), 0);

        scheduler.fireAll();

        assertEquals("push-2", published.get(0).getNodeId());
        assertEquals(0, pending.size(BOB_PHONE).toCompletableFuture().join());
    }

    @Test
    void pendingDeliveriesAreBoundedPerDeviceAndTheOldestIsForgotten() {
        InProcessPendingAcks two = new InProcessPendingAcks(2);
        DeliveryRetries bounded = new DeliveryRetries(TestRetryConfig.of(3, 2), two, new ManualRetryScheduler(),
                presence, published::add, Runnable::run, "push-1");

        bounded.sent(BOB_PHONE, message(1), 0);
        bounded.sent(BOB_PHONE, message(2), 0);
        bounded.sent(BOB_PHONE, message(3), 0);

        assertEquals(2, two.size(BOB_PHONE).toCompletableFuture().join());
        assertTrue(two.find(BOB_PHONE, "p:1:2", 1).toCompletableFuture().join().isEmpty(), "the oldest is forgotten");
        assertTrue(two.find(BOB_PHONE, "p:1:2", 3).toCompletableFuture().join().isPresent());
        assertEquals(1, bounded.overflowed());
    }

    @Test
    void retransmissionReplacesTheEntryOfTheSameMessageInsteadOfAddingOne() {
        retries.sent(BOB_PHONE, message(1), 0);
        retries.sent(BOB_PHONE, message(1), 1);

        assertEquals(1, pending.size(BOB_PHONE).toCompletableFuture().join());
    }

    @Test
    void otherDevicesKeepTheirEntriesWhenOneAcknowledgesOrCloses() {
        DeviceKey bobLaptop = new DeviceKey(2, "laptop");
        retries.sent(BOB_PHONE, message(1), 0);
        retries.sent(bobLaptop, message(1), 0);

        retries.acknowledged(BOB_PHONE, "p:1:2", 1);
        retries.closed(new DeviceKey(3, "laptop"));

        assertEquals(0, pending.size(BOB_PHONE).toCompletableFuture().join());
        assertEquals(1, pending.size(bobLaptop).toCompletableFuture().join());
    }
}
