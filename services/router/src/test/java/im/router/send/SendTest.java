package im.router.send;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.count;
import static im.router.RouterTestSupport.longs;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.grpc.GrpcErrors;
import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.Send;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Router.Send against the real user and leaf services and the real database. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class SendTest {

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    @DataSource(Transactions.DATASOURCE)
    AgroalDataSource db;

    @Test
    void sendToAFriendIsStoredAndAckedWithSeqOne() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String clientMsgId = newClientMsgId();

        SendResponse response = as(router, alice.token()).send(send("phone", bob.id(), clientMsgId, "hi bob"));

        assertFalse(response.getDuplicate());
        assertEquals(1, response.getAck().getSeq());
        assertEquals(ConversationIds.privateChat(alice.id(), bob.id()), response.getAck().getConversationId());
        assertEquals(clientMsgId, response.getAck().getClientMsgId());
        assertTrue(response.getAck().getMsgId() > 0);
        assertEquals(List.of(response.getAck().getMsgId()),
                longs(db, "SELECT msg_id FROM message WHERE sender_id = ? AND client_msg_id = ?", alice.id(), clientMsgId));
        assertEquals(2, count(db, "SELECT COUNT(*) FROM conversation_member WHERE conversation_id = ?",
                response.getAck().getConversationId()));
    }

    @Test
    void resentMessageWithSameClientIdIsStoredOnceAndAckedAlike() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String clientMsgId = newClientMsgId();
        SendRequest request = send("phone", bob.id(), clientMsgId, "once");

        SendResponse first = as(router, alice.token()).send(request);
        SendResponse again = as(router, alice.token()).send(request);

        assertFalse(first.getDuplicate());
        assertTrue(again.getDuplicate());
        assertEquals(first.getAck(), again.getAck());
        assertEquals(1, count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ? AND client_msg_id = ?",
                alice.id(), clientMsgId));
        assertEquals(1, count(db, "SELECT last_seq FROM conversation WHERE id = ?", first.getAck().getConversationId()));
    }

    @Test
    void racingIdenticalSendsAreStoredOnceAndAllAckedAlike() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        // One message already in the conversation, so the race is on the hot path, not the creation.
        as(router, alice.token()).send(send("phone", bob.id(), newClientMsgId(), "warm-up"));
        SendRequest request = send("phone", bob.id(), newClientMsgId(), "raced");
        int racers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<SendResponse>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return as(router, alice.token()).send(request);
                }));
            }
            start.countDown();
            List<SendResponse> responses = new ArrayList<>();
            for (Future<SendResponse> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }

            assertEquals(1, responses.stream().filter(r -> !r.getDuplicate()).count(), "exactly one stored it");
            assertEquals(1, responses.stream().map(SendResponse::getAck).distinct().count(), "everyone got the same ack");
            assertEquals(2, responses.get(0).getAck().getSeq());
        } finally {
            pool.shutdownNow();
        }
        String conversationId = ConversationIds.privateChat(alice.id(), bob.id());
        assertEquals(1, count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ? AND client_msg_id = ?",
                alice.id(), request.getSend().getClientMsgId()));
        assertEquals(List.of(1L, 2L), longs(db, "SELECT seq FROM message WHERE conversation_id = ? ORDER BY seq", conversationId));
        assertEquals(2, count(db, "SELECT last_seq FROM conversation WHERE id = ?", conversationId));
    }

    @Test
    void concurrentSendsIntoOneConversationGetSeqsWithoutGapOrDuplicate() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        int threads = 6;
        int perThread = 15;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<Long> ackedSeqs = new HashSet<>();
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // Both sides write at once: one conversation, two senders, several devices.
                TestUser from = t % 2 == 0 ? alice : bob;
                TestUser to = t % 2 == 0 ? bob : alice;
                String device = "device-" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        seqs.add(as(router, from.token()).send(send(device, to.id(), newClientMsgId(), "m" + i)).getAck().getSeq());
                    }
                    return seqs;
                }));
            }
            start.countDown();
            for (Future<List<Long>> future : futures) {
                for (long seq : future.get(120, TimeUnit.SECONDS)) {
                    assertTrue(ackedSeqs.add(seq), "seq " + seq + " acked twice");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int n = threads * perThread;
        List<Long> expected = LongStream.rangeClosed(1, n).boxed().toList();
        String conversationId = ConversationIds.privateChat(alice.id(), bob.id());
        assertEquals(expected, longs(db, "SELECT seq FROM message WHERE conversation_id = ? ORDER BY seq", conversationId));
        assertEquals(n, count(db, "SELECT COUNT(DISTINCT msg_id) FROM message WHERE conversation_id = ?", conversationId));
        assertEquals(n, count(db, "SELECT last_seq FROM conversation WHERE id = ?", conversationId));
        assertEquals(n, ackedSeqs.size());
    }

    @Test
    void sendToUnknownUserFailsUnknownUserAndStoresNothing() throws Exception {
        TestUser alice = newUser(users);
        long nobody = RouterTestSupport.unknownUserId();

        assertCode(ErrorCode.UNKNOWN_USER,
                () -> as(router, alice.token()).send(send("phone", nobody, newClientMsgId(), "hello?")));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ?", alice.id()));
    }

    @Test
    void sendToAStrangerFailsNotFriendsAndStoresNothing() throws Exception {
        TestUser alice = newUser(users);
        TestUser stranger = newUser(users);

        assertCode(ErrorCode.NOT_FRIENDS,
                () -> as(router, alice.token()).send(send("phone", stranger.id(), newClientMsgId(), "hello")));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ?", alice.id()));
    }

    @Test
    void expiredTokenFailsTokenExpired() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);

        assertCode(ErrorCode.TOKEN_EXPIRED, () -> as(router, TestTokens.expired(alice.id(), alice.username()))
                .send(send("phone", bob.id(), newClientMsgId(), "late")));
    }

    @Test
    void tokenSignedByAForeignKeyFailsUnauthenticated() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);

        assertCode(ErrorCode.UNAUTHENTICATED, () -> as(router, TestTokens.issueWithForeignKey(alice.id(), alice.username()))
                .send(send("phone", bob.id(), newClientMsgId(), "forged")));
    }

    @Test
    void callWithoutTokenFailsUnauthenticated() {
        TestUser bob = newUser(users);

        assertCode(ErrorCode.UNAUTHENTICATED, () -> router.withDeadlineAfter(30, TimeUnit.SECONDS)
                .send(send("phone", bob.id(), newClientMsgId(), "anonymous")));
    }

    @Test
    void oversizedBodyIsRejectedAndTheLargestAllowedIsStored() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);

        assertCode(ErrorCode.INVALID_ARGUMENT, () -> as(router, alice.token()).send(withBody(bob, new byte[16385])));
        assertEquals(0, count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ?", alice.id()));
        SendResponse largest = as(router, alice.token()).send(withBody(bob, new byte[16384]));
        assertEquals(16384, count(db, "SELECT LENGTH(body) FROM message WHERE msg_id = ?", largest.getAck().getMsgId()));
    }

    @Test
    void malformedSendsAreRejected() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        RouterGrpc.RouterBlockingStub asAlice = as(router, alice.token());

        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asAlice.send(withBody(bob, new byte[0])));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asAlice.send(send("phone", alice.id(), newClientMsgId(), "me")));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asAlice.send(send("phone", bob.id(), "", "no id")));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asAlice.send(send("phone", bob.id(), "x".repeat(65), "long id")));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asAlice.send(send("", bob.id(), newClientMsgId(), "no device")));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> asAlice.send(SendRequest.newBuilder().setDeviceId("phone")
                .setSend(Send.newBuilder().setClientMsgId(newClientMsgId()).setBody(ByteString.copyFromUtf8("x"))).build()));
        StatusRuntimeException group = assertThrows(StatusRuntimeException.class, () -> asAlice.send(
                SendRequest.newBuilder().setDeviceId("phone").setSend(Send.newBuilder().setClientMsgId(newClientMsgId())
                        .setGroupId(-7).setBody(ByteString.copyFromUtf8("x"))).build()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(group));
        assertEquals("group_id must be positive", GrpcErrors.messageOf(group));
    }

    private static SendRequest withBody(TestUser to, byte[] body) {
        return SendRequest.newBuilder().setDeviceId("phone")
                .setSend(Send.newBuilder().setClientMsgId(newClientMsgId()).setToUserId(to.id())
                        .setBody(ByteString.copyFrom(body)))
                .build();
    }

    private static void assertCode(ErrorCode expected, Executable call) {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, call::execute);
        assertEquals(expected, GrpcErrors.codeOf(failure), failure.toString());
    }

    /** A call that may throw. */
    @FunctionalInterface
    interface Executable {
        void execute() throws Exception;
    }
}
