package im.router.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.presence.DevicePresence;
import im.protocol.client.GroupEvent;
import im.protocol.client.Message;
import im.router.offline.OfflineNotifications.Drop;
import im.router.routing.DeliveryRouting.MessageRoute;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who gets a notification, and the queue's bound; no thread started, no calls made. */
class OfflineNotificationsTest {

    private static final String URL = "http://127.0.0.1:9/offline";
    private static final String SECRET = "test-only-offline-webhook-secret-0123456789";
    private static final long ALICE = 1;
    private static final long BOB = 2;
    private static final long CAROL = 3;
    private static final MutedRecipients NONE_MUTED = recipients -> Set.of();

    @Test
    void groupMessage_queuesOneNotificationPerOfflineRecipient_notTheSenderNorTheOnline() throws Exception {
        OfflineNotifications hook = new OfflineNotifications(TestConfig.of(URL, SECRET)
                .withQueue(100, 100, Duration.ofMillis(1)), NONE_MUTED);
        Message message = message(10, "g:77", ALICE);

        hook.offer(List.of(new MessageRoute(message, List.of(ALICE, BOB, CAROL))),
                Map.of(CAROL, List.of(new DevicePresence(CAROL, "carol-phone", "push-a", 1))));

        List<OfflineNotification> batch = hook.nextBatch();
        assertEquals(List.of(OfflineNotification.of(message, BOB)), batch);
        assertEquals("10:" + BOB, batch.get(0).id());
        assertTrue(batch.get(0).group());
        assertEquals(1, hook.queued());
    }

    @Test
    void groupSystemMessage_wakesNobody() {
        OfflineNotifications hook = new OfflineNotifications(TestConfig.of(URL, SECRET), NONE_MUTED);
        Message created = message(11, "g:77", ALICE).toBuilder()
                .setGroupEvent(GroupEvent.newBuilder().setKind(GroupEvent.Kind.CREATED)).build();

        hook.offer(List.of(new MessageRoute(created, List.of(ALICE, BOB))), Map.of());

        assertEquals(0, hook.waiting());
    }

    @Test
    void fullQueue_dropsTheOldestAndCountsIt() throws Exception {
        OfflineNotifications hook = new OfflineNotifications(TestConfig.of(URL, SECRET)
                .withQueue(2, 100, Duration.ofMillis(1)), NONE_MUTED);

        for (long msgId = 1; msgId <= 3; msgId++) {
            hook.offer(List.of(new MessageRoute(message(msgId, "p:1:2", ALICE), List.of(ALICE, BOB))), Map.of());
        }

        assertEquals(1, hook.dropped(Drop.QUEUE_FULL));
        assertEquals(3, hook.queued());
        assertEquals(List.of(2L, 3L), hook.nextBatch().stream().map(OfflineNotification::messageId).toList());
    }

    @Test
    void batch_takesAtMostMaxBatch() throws Exception {
        OfflineNotifications hook = new OfflineNotifications(TestConfig.of(URL, SECRET)
                .withQueue(100, 2, Duration.ofSeconds(10)), NONE_MUTED);
        for (long msgId = 1; msgId <= 3; msgId++) {
            hook.offer(List.of(new MessageRoute(message(msgId, "p:1:2", ALICE), List.of(BOB))), Map.of());
        }

        assertEquals(2, hook.nextBatch().size(), "full before the window ends");
        assertEquals(1, hook.waiting());
    }

    @Test
    void hookWithoutUrl_queuesNothing() {
        OfflineNotifications hook = new OfflineNotifications(TestConfig.of(null, null), NONE_MUTED);

        hook.offer(List.of(new MessageRoute(message(1, "p:1:2", ALICE), List.of(BOB))), Map.of());

        assertFalse(hook.enabled());
        assertEquals(0, hook.queued());
    }

    private static Message message(long msgId, String conversationId, long senderId) {
        return Message.newBuilder().setMsgId(msgId).setConversationId(conversationId).setSeq(msgId)
                .setSenderId(senderId).setSenderDeviceId("phone").setCreatedAtMs(1_700_000_000_000L).build();
    }
}
