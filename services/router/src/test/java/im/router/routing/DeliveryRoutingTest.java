package im.router.routing;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.presence.PresenceRegistry;
import im.common.testing.TestTokensResource;
import im.protocol.delivery.DeliveryEvent;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendResponse;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** After a send commits, each push node holding a device of the receiver or sender gets one event. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class DeliveryRoutingTest {

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    PresenceRegistry presence;

    @Inject
    RecordingDeliveryHandlers.NodeA nodeA;

    @Inject
    RecordingDeliveryHandlers.NodeB nodeB;

    @Test
    void storedMessageReachesEachNodeOfReceiverAndSenderOnceExceptTheSendingDevice() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        presence.connect(bob.id(), "bob-phone", "push-a");
        presence.connect(bob.id(), "bob-laptop", "push-a");
        presence.connect(alice.id(), "alice-phone", "push-a");
        presence.connect(alice.id(), "alice-tablet", "push-b");

        SendResponse sent = as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "hello"));

        DeliveryEvent toA = await().atMost(Duration.ofSeconds(10)).until(() -> eventFor(nodeA, sent), Optional::isPresent).get();
        DeliveryEvent toB = await().atMost(Duration.ofSeconds(10)).until(() -> eventFor(nodeB, sent), Optional::isPresent).get();
        assertEquals(List.of(Math.min(alice.id(), bob.id()), Math.max(alice.id(), bob.id())),
                toA.getUserIdsList().stream().sorted().toList(), "one event for both users' devices on the node");
        assertEquals(alice.id(), toA.getExceptUserId());
        assertEquals("alice-phone", toA.getExceptDeviceId());
        assertEquals(List.of(alice.id()), toB.getUserIdsList(), "the sender's other device gets it too");
        assertEquals("hello", toA.getMessage().getBody().toStringUtf8());
        assertEquals(sent.getAck().getSeq(), toA.getMessage().getSeq());
        assertEquals(1, nodeA.events().stream().filter(e -> e.getMessage().getMsgId() == sent.getAck().getMsgId()).count());
    }

    @Test
    void offlineReceiverGetsNoEventAndTheResendPublishesNothingNew() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        var request = send("alice-phone", bob.id(), newClientMsgId(), "stored for later");

        SendResponse sent = as(router, alice.token()).send(request);
        presence.connect(bob.id(), "bob-phone", "push-b");
        SendResponse resent = as(router, alice.token()).send(request);
        SendResponse marker = as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "now online"));

        assertTrue(resent.getDuplicate());
        // push-b's topic keeps the order of its events: once the later message is there, nothing
        // for the first one came before it
        await().atMost(Duration.ofSeconds(20)).until(() -> eventFor(nodeB, marker), Optional::isPresent);
        assertTrue(eventFor(nodeA, sent).isEmpty());
        assertTrue(eventFor(nodeB, sent).isEmpty(), "nothing for a duplicate: the store is bob's inbox");
    }

    private static Optional<DeliveryEvent> eventFor(RecordingDeliveryHandlers.Recording node, SendResponse sent) {
        return node.events().stream().filter(e -> e.getMessage().getMsgId() == sent.getAck().getMsgId()).findFirst();
    }
}
