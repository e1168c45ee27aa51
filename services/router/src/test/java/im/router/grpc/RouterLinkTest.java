package im.router.grpc;

import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.longs;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.grpc.GrpcErrors;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.LinkCall;
import im.protocol.router.LinkCalls;
import im.protocol.router.LinkOutcome;
import im.protocol.router.LinkOutcomes;
import im.protocol.router.RouterLinkGrpc;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.store.Transactions;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.quarkus.agroal.DataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RouterLink.Exchange: the push edge's batched stream of sends and delivery acks, on the real router. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class RouterLinkTest {

    @GrpcClient("router")
    Channel router;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    @DataSource(Transactions.DATASOURCE)
    AgroalDataSource db;

    @Test
    void callsOfTwoSessionsInOneMessageAreEachAnsweredUnderTheirId() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        String fromAlice = newClientMsgId();
        String fromBob = newClientMsgId();

        try (Link link = new Link(RouterLinkGrpc.newStub(router))) {
            Map<Long, LinkOutcome> outcomes = link.exchange(
                    LinkCall.newBuilder().setId(7).setToken(alice.token())
                            .setSend(send("phone", bob.id(), fromAlice, "hi bob")),
                    LinkCall.newBuilder().setId(8).setToken(bob.token())
                            .setSend(send("laptop", alice.id(), fromBob, "hi alice")));
            assertEquals(fromAlice, outcomes.get(7L).getSend().getAck().getClientMsgId());
            assertEquals(fromBob, outcomes.get(8L).getSend().getAck().getClientMsgId());
            assertEquals(List.of(1L, 2L), List.of(outcomes.get(7L).getSend().getAck().getSeq(),
                    outcomes.get(8L).getSend().getAck().getSeq()).stream().sorted().toList());

            LinkOutcome acked = link.exchange(LinkCall.newBuilder().setId(9).setToken(bob.token())
                    .setAckDelivery(AckDeliveryRequest.newBuilder().setConversationId(chat)
                            .setDeviceId("laptop").setSeq(2))).get(9L);
            assertEquals(2, acked.getAckDelivery().getLastAckSeq());
        }
        assertEquals(List.of(2L), longs(db,
                "SELECT COUNT(*) FROM message WHERE conversation_id = ?", chat));
    }

    @Test
    void aForgedTokenFailsOnlyItsOwnCallAndNothingIsStoredForIt() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String forged = newClientMsgId();
        String genuine = newClientMsgId();

        try (Link link = new Link(RouterLinkGrpc.newStub(router))) {
            Map<Long, LinkOutcome> outcomes = link.exchange(
                    LinkCall.newBuilder().setId(1).setToken("not.a.token")
                            .setSend(send("phone", bob.id(), forged, "pretending to be alice")),
                    LinkCall.newBuilder().setId(2).setToken(alice.token())
                            .setSend(send("phone", bob.id(), genuine, "really alice")));
            assertTrue(outcomes.get(1L).hasFailure());
            assertEquals(ErrorCode.UNAUTHENTICATED,
                    GrpcErrors.codeOf(GrpcErrors.fromLinkFailure(outcomes.get(1L).getFailure())));
            assertEquals(genuine, outcomes.get(2L).getSend().getAck().getClientMsgId());
        }
        assertEquals(List.of(0L), longs(db, "SELECT COUNT(*) FROM message WHERE client_msg_id = ?", forged));
        assertEquals(List.of(1L), longs(db, "SELECT COUNT(*) FROM message WHERE client_msg_id = ?", genuine));
    }

    @Test
    void aSendRepeatedOnANewLinkIsAnsweredWithTheOriginalAckAndStoredOnce() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String clientMsgId = newClientMsgId();
        LinkCall.Builder call = LinkCall.newBuilder().setId(1).setToken(alice.token())
                .setSend(send("phone", bob.id(), clientMsgId, "once"));

        LinkOutcome first;
        try (Link link = new Link(RouterLinkGrpc.newStub(router))) {
            first = link.exchange(call).get(1L);
        }
        LinkOutcome again;
        try (Link link = new Link(RouterLinkGrpc.newStub(router))) {
            again = link.exchange(call).get(1L);
        }

        assertFalse(first.getSend().getDuplicate());
        assertTrue(again.getSend().getDuplicate());
        assertEquals(first.getSend().getAck().getMsgId(), again.getSend().getAck().getMsgId());
        assertEquals(List.of(1L), longs(db, "SELECT COUNT(*) FROM message WHERE client_msg_id = ?", clientMsgId));
    }

    @Test
    void aCallWithoutARequestIsRefusedAsInvalid() throws Exception {
        try (Link link = new Link(RouterLinkGrpc.newStub(router))) {
            LinkOutcome outcome = link.exchange(LinkCall.newBuilder().setId(3).setToken("whatever")).get(3L);
            assertEquals(ErrorCode.INVALID_ARGUMENT,
                    GrpcErrors.codeOf(GrpcErrors.fromLinkFailure(outcome.getFailure())));
        }
    }

    /** One stream, as a push node holds it: sends a message of calls and collects their outcomes. */
    private static final class Link implements StreamObserver<LinkOutcomes>, AutoCloseable {

        private final LinkedBlockingQueue<LinkOutcome> outcomes = new LinkedBlockingQueue<>();
        private final StreamObserver<LinkCalls> calls;
        private volatile Throwable failure;

        Link(RouterLinkGrpc.RouterLinkStub stub) {
            this.calls = stub.exchange(this);
        }

        Map<Long, LinkOutcome> exchange(LinkCall.Builder... batch) throws InterruptedException {
            LinkCalls.Builder message = LinkCalls.newBuilder();
            for (LinkCall.Builder call : batch) {
                message.addCalls(call);
            }
            calls.onNext(message.build());
            Map<Long, LinkOutcome> byId = new HashMap<>();
            while (byId.size() < batch.length) {
                LinkOutcome outcome = outcomes.poll(30, TimeUnit.SECONDS);
                assertNotNull(outcome, () -> "no outcome within 30 s; stream failure: " + failure);
                byId.put(outcome.getId(), outcome);
            }
            return byId;
        }

        @Override
        public void onNext(LinkOutcomes message) {
            outcomes.addAll(message.getOutcomesList());
        }

        @Override
        public void onError(Throwable t) {
            failure = t;
        }

        @Override
        public void onCompleted() {
        }

        @Override
        public void close() {
            calls.onCompleted();
        }
    }
}
