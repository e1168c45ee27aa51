package im.router.cursor;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.count;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.grpc.GrpcErrors;
import im.common.presence.PresenceRegistry;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationIds;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.ErrorCode;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Receipts;
import im.protocol.delivery.DeliveryEvent;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.RouterGrpc;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.routing.RecordingDeliveryHandlers;
import im.router.store.Transactions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Member cursors (delivered = the highest device cursor, read) and the receipts they publish. The
 * in-process bus hands events to the recording nodes before the call answers, so what a node got
 * is settled when the call returns.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class ReceiptsTest {

    private static final Duration EVENTS_WITHIN = Duration.ofSeconds(20);

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    @DataSource(Transactions.DATASOURCE)
    AgroalDataSource db;

    @Inject
    PresenceRegistry presence;

    @Inject
    RecordingDeliveryHandlers.NodeA nodeA;

    @Inject
    RecordingDeliveryHandlers.NodeB nodeB;

    @Test
    void memberDeliveredIsTheHighestDeviceCursorAndNeverMovesBack() throws Exception {
        Chat chat = chatWithMessages(5);
        RouterGrpc.RouterBlockingStub asBob = as(router, chat.bob().token());

        asBob.ackDelivery(ack(chat, "phone", 3));
        assertEquals(3, memberDelivered(chat.bob(), chat));
        asBob.ackDelivery(ack(chat, "tablet", 2));
        assertEquals(3, memberDelivered(chat.bob(), chat), "a lagging device does not pull it back");
        asBob.ackDelivery(ack(chat, "tablet", 99));
        assertEquals(5, memberDelivered(chat.bob(), chat), "capped at the last seq");
        asBob.ackDelivery(ack(chat, "phone", 4));
        assertEquals(5, memberDelivered(chat.bob(), chat));
        assertEquals(0, memberDelivered(chat.alice(), chat), "each member its own");
    }

    @Test
    void deliveryReceiptGoesToTheOtherMembersNodesOnlyWhenTheMemberCursorMoved() {
        Chat chat = chatWithMessages(4);
        presence.connect(chat.alice().id(), "alice-phone", "push-a");
        presence.connect(chat.bob().id(), "bob-phone", "push-b");
        presence.connect(chat.bob().id(), "bob-laptop", "push-b");
        RouterGrpc.RouterBlockingStub asBob = as(router, chat.bob().token());

        asBob.ackDelivery(ack(chat, "bob-phone", 2));

        // Events travel the nodes' Kafka topics: wait for them; a node's topic keeps their order, so
        // a later receipt's arrival shows that none came between.
        List<DeliveryEvent> toA = await().atMost(EVENTS_WITHIN).until(() -> deliveryReceipts(nodeA, chat),
                events -> !events.isEmpty());
        assertEquals(1, toA.size());
        assertEquals(List.of(chat.alice().id()), toA.get(0).getUserIdsList());
        assertEquals(DeliveryReceipt.newBuilder().setConversationId(chat.id())
                .setRecipientId(chat.bob().id()).setUpToSeq(2).build(), toA.get(0).getDeliveryReceipt());

        asBob.ackDelivery(ack(chat, "bob-laptop", 1));
        asBob.ackDelivery(ack(chat, "bob-phone", 2));
        asBob.ackDelivery(ack(chat, "bob-laptop", 4));
        await().atMost(EVENTS_WITHIN).until(() -> deliveryReceipts(nodeA, chat).size() >= 2);
        assertEquals(List.of(2L, 4L), deliveryReceipts(nodeA, chat).stream()
                .map(e -> e.getDeliveryReceipt().getUpToSeq()).toList(),
                "acks that did not move the member cursor sent no receipt");
        assertEquals(List.of(), deliveryReceipts(nodeB, chat), "bob's own devices hear nothing of it");
    }

    @Test
    void markReadMovesForwardOnlyAndNeverPastTheLastSeq() throws Exception {
        Chat chat = chatWithMessages(5);
        RouterGrpc.RouterBlockingStub asBob = as(router, chat.bob().token());

        assertEquals(3, asBob.markRead(read(chat, "phone", 3)).getLastReadSeq());
        assertEquals(3, asBob.markRead(read(chat, "tablet", 2)).getLastReadSeq(), "never back");
        assertEquals(5, asBob.markRead(read(chat, "phone", 99)).getLastReadSeq(), "capped at the last seq");
        assertEquals(5, count(db, "SELECT last_read_seq FROM conversation_member WHERE conversation_id = ? AND user_id = ?",
                chat.id(), chat.bob().id()));
        assertEquals(5, count(db, "SELECT last_read_seq FROM conversation_member WHERE conversation_id = ? AND user_id = ?",
                chat.id(), chat.alice().id()), "each member its own: the sender's is at its last send");
    }

    @Test
    void readReceiptGoesToTheOtherMembersAndTheReadersOtherDevicesButNotTheReadingDevice() {
        Chat chat = chatWithMessages(3);
        presence.connect(chat.alice().id(), "alice-phone", "push-a");
        presence.connect(chat.bob().id(), "bob-phone", "push-a");
        presence.connect(chat.bob().id(), "bob-laptop", "push-b");
        RouterGrpc.RouterBlockingStub asBob = as(router, chat.bob().token());

        asBob.markRead(read(chat, "bob-phone", 2));

        await().atMost(EVENTS_WITHIN).until(() -> !readReceipts(nodeA, chat).isEmpty()
                && !readReceipts(nodeB, chat).isEmpty());
        ReadReceipt expected = ReadReceipt.newBuilder().setConversationId(chat.id())
                .setReaderId(chat.bob().id()).setUpToSeq(2).build();
        List<DeliveryEvent> toA = readReceipts(nodeA, chat);
        List<DeliveryEvent> toB = readReceipts(nodeB, chat);
        assertEquals(1, toA.size());
        assertEquals(List.of(chat.alice().id()), toA.get(0).getUserIdsList(),
                "bob's only device on push-a is the one that read");
        assertEquals(1, toB.size());
        assertEquals(List.of(chat.bob().id()), toB.get(0).getUserIdsList(), "bob's laptop clears its unread marks");
        for (DeliveryEvent event : List.of(toA.get(0), toB.get(0))) {
            assertEquals(expected, event.getReadReceipt());
            assertEquals(chat.bob().id(), event.getExceptUserId());
            assertEquals("bob-phone", event.getExceptDeviceId());
        }

        asBob.markRead(read(chat, "bob-laptop", 1));
        asBob.markRead(read(chat, "bob-laptop", 2));
        asBob.markRead(read(chat, "bob-phone", 3));
        await().atMost(EVENTS_WITHIN).until(() -> readReceipts(nodeA, chat).size() >= 2);
        assertEquals(List.of(2L, 3L), readReceipts(nodeA, chat).stream()
                .map(e -> e.getReadReceipt().getUpToSeq()).toList(), "the read cursor did not move: no receipt");
    }

    @Test
    void getReceiptsAnswersTheOtherMembersPositions() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String conversationId = ConversationIds.privateChat(alice.id(), bob.id());
        GetReceiptsRequest request = GetReceiptsRequest.newBuilder().setConversationId(conversationId).build();

        assertEquals(receipts(conversationId, bob.id(), 0, 0), as(router, alice.token()).getReceipts(request).getReceipts(),
                "before the first message the peer has nothing delivered or read");

        for (int i = 0; i < 4; i++) {
            as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "m" + i));
        }
        Chat chat = new Chat(alice, bob, conversationId);
        as(router, bob.token()).ackDelivery(ack(chat, "bob-phone", 4));
        as(router, bob.token()).markRead(read(chat, "bob-phone", 3));
        as(router, alice.token()).markRead(read(chat, "alice-phone", 4));

        assertEquals(receipts(conversationId, bob.id(), 4, 3), as(router, alice.token()).getReceipts(request).getReceipts());
        assertEquals(receipts(conversationId, alice.id(), 0, 4), as(router, bob.token()).getReceipts(request).getReceipts());
    }

    @Test
    void outsiderCannotMarkReadOrGetReceipts() throws Exception {
        Chat chat = chatWithMessages(2);
        TestUser eve = newUser(users);
        RouterGrpc.RouterBlockingStub asEve = as(router, eve.token());

        assertCode(ErrorCode.UNKNOWN_CONVERSATION, () -> asEve.markRead(read(chat, "eve-phone", 2)));
        assertCode(ErrorCode.UNKNOWN_CONVERSATION, () -> asEve.getReceipts(
                GetReceiptsRequest.newBuilder().setConversationId(chat.id()).build()));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asEve.getReceipts(
                GetReceiptsRequest.newBuilder().setConversationId("p:x:y").build()));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM conversation_member WHERE user_id = ?", eve.id()));
    }

    @Test
    void acksBeyondTheLastSeqRacingReadsOfTheSameConversationAreAllAnswered() throws Exception {
        // Each ack reads the conversation's last seq before it writes; each read writes a member
        // row. Racing in pairs, every one of them is answered, none refused as unavailable.
        Chat chat = chatWithMessages(3);
        RouterGrpc.RouterBlockingStub asBob = as(router, chat.bob().token());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String device = "device-" + (i % 4);
                calls.add(pool.submit(() -> asBob.ackDelivery(ack(chat, device, 1_000))));
                calls.add(pool.submit(() -> asBob.markRead(read(chat, device, 1_000))));
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3, memberDelivered(chat.bob(), chat));
        assertEquals(3, count(db, "SELECT last_read_seq FROM conversation_member WHERE conversation_id = ? "
                + "AND user_id = ?", chat.id(), chat.bob().id()));
    }

    @Test
    void malformedMarkReadIsRejected() {
        Chat chat = chatWithMessages(1);
        RouterGrpc.RouterBlockingStub asBob = as(router, chat.bob().token());

        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asBob.markRead(read(chat, "phone", -1)));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asBob.markRead(read(chat, "", 1)));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asBob.markRead(read(chat, "bad device!", 1)));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asBob.markRead(MarkReadRequest.newBuilder()
                .setDeviceId("phone").setConversationId("").setUpToSeq(1).build()));
    }

    /** Alice and Bob, friends, with {@code messages} messages from Alice. */
    private Chat chatWithMessages(int messages) {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        for (int i = 0; i < messages; i++) {
            as(router, alice.token()).send(send("alice-desk", bob.id(), newClientMsgId(), "m" + i));
        }
        return new Chat(alice, bob, ConversationIds.privateChat(alice.id(), bob.id()));
    }

    private record Chat(TestUser alice, TestUser bob, String id) {
    }

    private long memberDelivered(TestUser user, Chat chat) throws Exception {
        return count(db, "SELECT last_delivered_seq FROM conversation_member WHERE conversation_id = ? AND user_id = ?",
                chat.id(), user.id());
    }

    private static List<DeliveryEvent> deliveryReceipts(RecordingDeliveryHandlers.Recording node, Chat chat) {
        return node.events().stream().filter(e -> e.hasDeliveryReceipt()
                && e.getDeliveryReceipt().getConversationId().equals(chat.id())).toList();
    }

    private static List<DeliveryEvent> readReceipts(RecordingDeliveryHandlers.Recording node, Chat chat) {
        return node.events().stream().filter(e -> e.hasReadReceipt()
                && e.getReadReceipt().getConversationId().equals(chat.id())).toList();
    }

    private static Receipts receipts(String conversationId, long peer, long delivered, long read) {
        return Receipts.newBuilder().setConversationId(conversationId)
                .addDelivered(DeliveryReceipt.newBuilder().setConversationId(conversationId)
                        .setRecipientId(peer).setUpToSeq(delivered))
                .addRead(ReadReceipt.newBuilder().setConversationId(conversationId)
                        .setReaderId(peer).setUpToSeq(read))
                .build();
    }

    private static AckDeliveryRequest ack(Chat chat, String deviceId, long seq) {
        return AckDeliveryRequest.newBuilder().setConversationId(chat.id()).setDeviceId(deviceId).setSeq(seq).build();
    }

    private static MarkReadRequest read(Chat chat, String deviceId, long upToSeq) {
        return MarkReadRequest.newBuilder().setConversationId(chat.id()).setDeviceId(deviceId).setUpToSeq(upToSeq).build();
    }

    private static void assertCode(ErrorCode expected, Runnable call) {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(expected, GrpcErrors.codeOf(failure), failure.toString());
    }
}
