package im.router.presence;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.newUser;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.presence.PresenceRegistry;
import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.common.testing.TestTokensResource;
import im.protocol.client.GetPresence;
import im.protocol.client.Presence;
import im.protocol.client.PresenceList;
import im.protocol.delivery.DeliveryEvent;
import im.protocol.router.DevicePresenceRequest;
import im.protocol.router.RouterGrpc;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.routing.RecordingDeliveryHandlers;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Friends hear when a user comes online and goes offline, unless it hides its presence. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class FriendPresenceTest {

    private static final Duration EVENTS_WITHIN = Duration.ofSeconds(20);

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    PresenceRegistry presence;

    @Inject
    RecordingDeliveryHandlers.NodeA nodeA;

    @Inject
    FriendPresence friendPresence;

    @Test
    void aFriendHearsTheUserComeOnlineAndGoOffline_andAsksWhenItWasLastSeen() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser stranger = newUser(users);
        befriend(alice, bob);
        presence.connect(bob.id(), "bob-phone", "push-a");
        presence.connect(stranger.id(), "phone", "push-a");

        long epoch = presence.connect(alice.id(), "alice-laptop", "push-b").epoch();
        told(alice, true);
        Presence online = await().atMost(EVENTS_WITHIN).until(() -> presenceEvents(alice), e -> !e.isEmpty()).get(0)
                .getPresence();
        assertTrue(online.getOnline());
        assertTrue(as(router, bob.token()).getPresence(ask(alice)).getPresences(0).getOnline());

        presence.disconnect(alice.id(), "alice-laptop", epoch);
        told(alice, false);
        List<DeliveryEvent> events = await().atMost(EVENTS_WITHIN).until(() -> presenceEvents(alice), e -> e.size() == 2);
        Presence offline = events.get(1).getPresence();
        assertFalse(offline.getOnline());
        assertTrue(offline.getLastSeenMs() > 0);
        assertEquals(List.of(bob.id()), events.get(1).getUserIdsList(), "the friend's devices only, not the stranger's");

        Presence asked = as(router, bob.token()).getPresence(ask(alice)).getPresences(0);
        assertFalse(asked.getOnline());
        assertEquals(offline.getLastSeenMs(), asked.getLastSeenMs());
        assertEquals(PresenceList.getDefaultInstance(), as(router, stranger.token()).getPresence(ask(alice)),
                "a stranger learns nothing");
    }

    @Test
    void aUserWhoHidesItsPresenceIsSeenByNobody() {
        TestUser carol = newUser(users);
        TestUser dave = newUser(users);
        befriend(carol, dave);
        presence.connect(dave.id(), "dave-phone", "push-a");
        given().auth().oauth2(carol.token()).contentType(ContentType.JSON).body("{\"showPresence\":false}")
                .put("/friends/settings").then().statusCode(200);

        presence.connect(carol.id(), "carol-phone", "push-b");
        told(carol, true);
        // Another user's event after carol's shows the publishing thread has passed carol's change.
        TestUser erin = newUser(users);
        befriend(erin, dave);
        presence.connect(erin.id(), "erin-phone", "push-b");
        told(erin, true);
        await().atMost(EVENTS_WITHIN).until(() -> !presenceEvents(erin).isEmpty());

        assertEquals(List.of(), presenceEvents(carol));
        assertEquals(PresenceList.getDefaultInstance(), as(router, dave.token()).getPresence(ask(carol)));
    }

    @Test
    void aUserWhosePushNodeDiedWithoutAWord_isToldOfflineByTheRecheck() {
        TestUser frank = newUser(users);
        TestUser grace = newUser(users);
        befriend(frank, grace);
        presence.connect(grace.id(), "grace-phone", "push-a");
        presence.hostNode("push-doomed", List::of);
        presence.connect(frank.id(), "frank-phone", "push-doomed");
        told(frank, true);
        await().atMost(EVENTS_WITHIN).until(() -> presenceEvents(frank).size() == 1);

        // The node's entries go; no device tells the router (a dead node's lapse looks the same).
        presence.leaveNode("push-doomed");
        friendPresence.recheckOnline();

        List<DeliveryEvent> events = await().atMost(EVENTS_WITHIN).until(() -> presenceEvents(frank), e -> e.size() == 2);
        assertFalse(events.get(1).getPresence().getOnline());
        assertEquals(List.of(grace.id()), events.get(1).getUserIdsList());
    }

    private void told(TestUser user, boolean online) {
        router.withCallCredentials(TestServiceTokens.as(ServiceName.PUSH, ServiceName.ROUTER))
                .devicePresence(DevicePresenceRequest.newBuilder().setUserId(user.id()).setDeviceId("d")
                        .setOnline(online).build());
    }

    private static GetPresence ask(TestUser user) {
        return GetPresence.newBuilder().addUserIds(user.id()).build();
    }

    private List<DeliveryEvent> presenceEvents(TestUser about) {
        return nodeA.events().stream().filter(e -> e.hasPresence() && e.getPresence().getUserId() == about.id()).toList();
    }
}
