package im.router.sync;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.count;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.grpc.GrpcErrors;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationCursor;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.Message;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.store.Transactions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Sync, AckDelivery and ListConversations over stored messages. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class SyncTest {

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    @DataSource(Transactions.DATASOURCE)
    AgroalDataSource db;

    @Test
    void syncPagesTwoHundredFiftyMessagesAsHundredHundredFifty() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        for (int i = 0; i < 250; i++) {
            as(router, alice.token()).send(send("phone", bob.id(), newClientMsgId(), "m" + i));
        }
        String conversationId = ConversationIds.privateChat(alice.id(), bob.id());

        List<Message> all = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        List<Boolean> hasMore = new ArrayList<>();
        long after = 0;
        do {
            SyncResponse page = as(router, bob.token()).sync(SyncRequest.newBuilder()
                    .setConversationId(conversationId).setAfterSeq(after).build());
            assertEquals(250, page.getLastSeq());
            pageSizes.add(page.getMessagesCount());
            hasMore.add(page.getHasMore());
            all.addAll(page.getMessagesList());
            after = page.getMessages(page.getMessagesCount() - 1).getSeq();
        } while (hasMore.get(hasMore.size() - 1));

        assertEquals(List.of(100, 100, 50), pageSizes);
        assertEquals(List.of(true, true, false), hasMore);
        assertEquals(LongStream.rangeClosed(1, 250).boxed().toList(), all.stream().map(Message::getSeq).toList());
        assertEquals("m0", all.get(0).getBody().toStringUtf8());
        assertEquals(alice.id(), all.get(0).getSenderId());
        assertEquals("phone", all.get(0).getSenderDeviceId());
    }

    @Test
    void syncHonoursLimitAndAnswersNothingPastTheEnd() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        for (int i = 0; i < 3; i++) {
            as(router, alice.token()).send(send("phone", bob.id(), newClientMsgId(), "m" + i));
        }
        String conversationId = ConversationIds.privateChat(alice.id(), bob.id());

        SyncResponse two = as(router, alice.token()).sync(SyncRequest.newBuilder()
                .setConversationId(conversationId).setLimit(2).build());
        SyncResponse none = as(router, alice.token()).sync(SyncRequest.newBuilder()
                .setConversationId(conversationId).setAfterSeq(3).build());

        assertEquals(2, two.getMessagesCount());
        assertTrue(two.getHasMore());
        assertEquals(0, none.getMessagesCount());
        assertFalse(none.getHasMore());
        assertEquals(3, none.getLastSeq());
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> as(router, alice.token()).sync(SyncRequest.newBuilder()
                .setConversationId(conversationId).setLimit(101).build()));
    }

    @Test
    void outsiderCannotSyncOrAckAConversation() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser eve = newUser(users);
        befriend(alice, bob);
        as(router, alice.token()).send(send("phone", bob.id(), newClientMsgId(), "secret"));
        String conversationId = ConversationIds.privateChat(alice.id(), bob.id());

        assertCode(ErrorCode.UNKNOWN_CONVERSATION, () -> as(router, eve.token()).sync(SyncRequest.newBuilder()
                .setConversationId(conversationId).build()));
        assertCode(ErrorCode.UNKNOWN_CONVERSATION, () -> as(router, eve.token()).ackDelivery(AckDeliveryRequest.newBuilder()
                .setDeviceId("phone").setConversationId(conversationId).setSeq(1).build()));
        assertCode(ErrorCode.UNKNOWN_CONVERSATION, () -> as(router, eve.token()).sync(SyncRequest.newBuilder()
                .setConversationId("g:1").build()));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> as(router, eve.token()).sync(SyncRequest.newBuilder()
                .setConversationId("g:x").build()));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> as(router, eve.token()).sync(SyncRequest.newBuilder()
                .setConversationId("p:x:y").build()));
    }

    @Test
    void ackDeliveryMovesForwardOnlyAndNeverPastTheLastSeq() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        for (int i = 0; i < 5; i++) {
            as(router, alice.token()).send(send("phone", bob.id(), newClientMsgId(), "m" + i));
        }
        String conversationId = ConversationIds.privateChat(alice.id(), bob.id());
        RouterGrpc.RouterBlockingStub asBob = as(router, bob.token());

        assertEquals(3, asBob.ackDelivery(ack(conversationId, "tablet", 3)).getLastAckSeq());
        assertEquals(3, asBob.ackDelivery(ack(conversationId, "tablet", 2)).getLastAckSeq(), "never back");
        assertEquals(5, asBob.ackDelivery(ack(conversationId, "tablet", 99)).getLastAckSeq(), "capped at last seq");
        assertEquals(1, asBob.ackDelivery(ack(conversationId, "phone", 1)).getLastAckSeq(), "each device its own");
        assertEquals(5, count(db, "SELECT last_ack_seq FROM delivery_cursor WHERE user_id = ? AND device_id = ? "
                + "AND conversation_id = ?", bob.id(), "tablet", conversationId));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asBob.ackDelivery(ack(conversationId, "tablet", -1)));
    }

    @Test
    void listConversationsNamesOnlyTheConversationsBeyondTheCursors() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        TestUser dave = newUser(users);
        befriend(alice, bob);
        befriend(carol, alice);
        befriend(bob, dave);
        as(router, bob.token()).send(send("phone", alice.id(), newClientMsgId(), "1"));
        as(router, alice.token()).send(send("phone", bob.id(), newClientMsgId(), "2"));
        as(router, carol.token()).send(send("phone", alice.id(), newClientMsgId(), "3"));
        as(router, bob.token()).send(send("phone", dave.id(), newClientMsgId(), "not alice's"));
        String withBob = ConversationIds.privateChat(alice.id(), bob.id());
        String withCarol = ConversationIds.privateChat(alice.id(), carol.id());

        List<ConversationCursor> fresh = as(router, alice.token())
                .listConversations(ListConversationsRequest.getDefaultInstance()).getBehindList();
        List<ConversationCursor> partlyHeld = as(router, alice.token()).listConversations(ListConversationsRequest
                .newBuilder().addCursors(cursor(withBob, 2)).addCursors(cursor(withCarol, 0)).build()).getBehindList();

        assertEquals(List.of(behind(withBob, 2, 2), behind(withCarol, 1, 1)).stream().sorted(
                java.util.Comparator.comparing(ConversationCursor::getConversationId)).toList(),
                fresh.stream().sorted(java.util.Comparator.comparing(ConversationCursor::getConversationId)).toList());
        assertEquals(List.of(behind(withCarol, 1, 1)), partlyHeld);
    }

    private static ConversationCursor cursor(String conversationId, long lastSeq) {
        return ConversationCursor.newBuilder().setConversationId(conversationId).setLastSeq(lastSeq).build();
    }

    /** A conversation ListConversations names: its last seq and how many messages are new. */
    private static ConversationCursor behind(String conversationId, long lastSeq, long newMessages) {
        return cursor(conversationId, lastSeq).toBuilder().setNewMessages(newMessages).build();
    }

    private static AckDeliveryRequest ack(String conversationId, String deviceId, long seq) {
        return AckDeliveryRequest.newBuilder().setConversationId(conversationId).setDeviceId(deviceId).setSeq(seq).build();
    }

    private static void assertCode(ErrorCode expected, Runnable call) {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(expected, GrpcErrors.codeOf(failure), failure.toString());
    }
}
