package im.router.send;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.count;
import static im.router.RouterTestSupport.longs;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.numbered;
import static im.router.RouterTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.grpc.GrpcErrors;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-device numbering of sends (client_seq), checked in the transaction that stores them. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class SendOrderingTest {

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    @DataSource(Transactions.DATASOURCE)
    AgroalDataSource db;

    @Test
    void numberedSendsInOrderAreStoredInOrder() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        RouterGrpc.RouterBlockingStub asAlice = as(router, alice.token());

        List<Long> seqs = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            seqs.add(asAlice.send(numbered("phone", bob.id(), newClientMsgId(), n, "m" + n)).getAck().getSeq());
        }

        assertEquals(List.of(1L, 2L, 3L), seqs);
        assertEquals(3, lastClientSeq(alice, "phone", bob));
    }

    @Test
    void gapIsRefusedOutOfOrderWithTheExpectedNumberAndStoresNothingNorTakesASeq() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        RouterGrpc.RouterBlockingStub asAlice = as(router, alice.token());
        asAlice.send(numbered("phone", bob.id(), newClientMsgId(), 1, "one"));
        String skipped = newClientMsgId();

        StatusRuntimeException gap = assertThrows(StatusRuntimeException.class,
                () -> asAlice.send(numbered("phone", bob.id(), skipped, 3, "three")));

        assertEquals(ErrorCode.OUT_OF_ORDER, GrpcErrors.codeOf(gap));
        assertEquals(2, GrpcErrors.expectedClientSeqOf(gap));
        String conversationId = ConversationIds.privateChat(alice.id(), bob.id());
        assertEquals(0, count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ? AND client_msg_id = ?", alice.id(), skipped));
        assertEquals(1, count(db, "SELECT last_seq FROM conversation WHERE id = ?", conversationId));
        assertEquals(1, lastClientSeq(alice, "phone", bob));
        SendResponse two = asAlice.send(numbered("phone", bob.id(), newClientMsgId(), 2, "two"));
        assertEquals(2, two.getAck().getSeq(), "the refused send consumed no seq");
        assertEquals(3, asAlice.send(numbered("phone", bob.id(), skipped, 3, "three")).getAck().getSeq());
    }

    @Test
    void firstNumberedSendOfADeviceMustBeOne() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);

        StatusRuntimeException early = assertThrows(StatusRuntimeException.class,
                () -> as(router, alice.token()).send(numbered("phone", bob.id(), newClientMsgId(), 2, "two")));

        assertEquals(ErrorCode.OUT_OF_ORDER, GrpcErrors.codeOf(early));
        assertEquals(1, GrpcErrors.expectedClientSeqOf(early));
    }

    @Test
    void repeatOfAStoredClientMsgIdGetsTheOriginalAckWhateverItsNumber() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        RouterGrpc.RouterBlockingStub asAlice = as(router, alice.token());
        String first = newClientMsgId();
        SendResponse original = asAlice.send(numbered("phone", bob.id(), first, 1, "one"));
        asAlice.send(numbered("phone", bob.id(), newClientMsgId(), 2, "two"));

        for (long number : new long[] {1, 2, 3, 9, 0}) {
            SendResponse again = asAlice.send(numbered("phone", bob.id(), first, number, "one"));
            assertTrue(again.getDuplicate(), "number " + number);
            assertEquals(original.getAck(), again.getAck(), "number " + number);
        }
        assertEquals(2, lastClientSeq(alice, "phone", bob));
        assertEquals(1, count(db, "SELECT COUNT(*) FROM message WHERE sender_id = ? AND client_msg_id = ?", alice.id(), first));
    }

    @Test
    void twoRacingSendsWithTheSameNumberStoreExactlyOneWithTheNextNumber() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        as(router, alice.token()).send(numbered("phone", bob.id(), newClientMsgId(), 1, "warm-up"));
        int racers = 6;
        List<SendRequest> requests = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            requests.add(numbered("phone", bob.id(), newClientMsgId(), 2, "racer " + i));
        }

        List<Object> outcomes = race(requests, alice);

        List<SendResponse> stored = outcomes.stream().filter(SendResponse.class::isInstance)
                .map(SendResponse.class::cast).toList();
        assertEquals(1, stored.size(), "exactly one racer stored: " + outcomes);
        assertFalse(stored.get(0).getDuplicate());
        assertEquals(2, stored.get(0).getAck().getSeq());
        for (Object outcome : outcomes) {
            if (outcome instanceof StatusRuntimeException refused) {
                assertEquals(ErrorCode.OUT_OF_ORDER, GrpcErrors.codeOf(refused));
                assertEquals(3, GrpcErrors.expectedClientSeqOf(refused));
            }
        }
        String conversationId = ConversationIds.privateChat(alice.id(), bob.id());
        assertEquals(List.of(1L, 2L), longs(db, "SELECT seq FROM message WHERE conversation_id = ? ORDER BY seq", conversationId));
        assertEquals(2, lastClientSeq(alice, "phone", bob));
    }

    @Test
    void racingResendsOfOneNumberedSendAllGetItsAck() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        as(router, alice.token()).send(numbered("phone", bob.id(), newClientMsgId(), 1, "warm-up"));
        SendRequest resent = numbered("phone", bob.id(), newClientMsgId(), 2, "raced");

        List<Object> outcomes = race(List.of(resent, resent, resent, resent), alice);

        assertTrue(outcomes.stream().allMatch(SendResponse.class::isInstance), outcomes.toString());
        assertEquals(1, outcomes.stream().map(o -> ((SendResponse) o).getAck()).distinct().count());
        assertEquals(1, outcomes.stream().filter(o -> !((SendResponse) o).getDuplicate()).count());
        assertEquals(2, ((SendResponse) outcomes.get(0)).getAck().getSeq());
    }

    @Test
    void numbersArePerDeviceAndPerConversation() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        befriend(alice, bob);
        befriend(alice, carol);
        RouterGrpc.RouterBlockingStub asAlice = as(router, alice.token());

        asAlice.send(numbered("phone", bob.id(), newClientMsgId(), 1, "phone to bob"));
        asAlice.send(numbered("tablet", bob.id(), newClientMsgId(), 1, "tablet to bob"));
        asAlice.send(numbered("phone", carol.id(), newClientMsgId(), 1, "phone to carol"));
        asAlice.send(numbered("phone", bob.id(), newClientMsgId(), 2, "phone to bob again"));
        as(router, bob.token()).send(numbered("phone", alice.id(), newClientMsgId(), 1, "bob's own numbering"));

        assertEquals(2, lastClientSeq(alice, "phone", bob));
        assertEquals(1, lastClientSeq(alice, "tablet", bob));
        assertEquals(1, lastClientSeq(alice, "phone", carol));
        assertEquals(5, count(db, "SELECT COUNT(*) FROM message WHERE sender_id IN (?, ?)", alice.id(), bob.id()));
    }

    @Test
    void unnumberedSendsSkipTheCheckAndLeaveTheNumberAlone() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        RouterGrpc.RouterBlockingStub asAlice = as(router, alice.token());

        asAlice.send(numbered("phone", bob.id(), newClientMsgId(), 1, "one"));
        asAlice.send(send("phone", bob.id(), newClientMsgId(), "unnumbered"));
        SendResponse two = asAlice.send(numbered("phone", bob.id(), newClientMsgId(), 2, "two"));

        assertEquals(3, two.getAck().getSeq());
        assertEquals(2, lastClientSeq(alice, "phone", bob));
        StatusRuntimeException negative = assertThrows(StatusRuntimeException.class,
                () -> asAlice.send(numbered("phone", bob.id(), newClientMsgId(), -1, "minus")));
        assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(negative));
    }

    /** Runs the sends at once; each outcome is a SendResponse or the StatusRuntimeException. */
    private List<Object> race(List<SendRequest> requests, TestUser from) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (SendRequest request : requests) {
                Callable<Object> call = () -> {
                    start.await();
                    try {
                        return as(router, from.token()).send(request);
                    } catch (StatusRuntimeException e) {
                        return e;
                    }
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> future : futures) {
                try {
                    outcomes.add(future.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError(e.getCause());
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private long lastClientSeq(TestUser user, String deviceId, TestUser peer) throws Exception {
        return count(db, "SELECT last_client_seq FROM send_sequence WHERE user_id = ? AND device_id = ? "
                + "AND conversation_id = ?", user.id(), deviceId, ConversationIds.privateChat(user.id(), peer.id()));
    }
}
