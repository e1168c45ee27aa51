package im.router.send;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import im.common.grpc.GrpcErrors;
import im.common.testing.TestTokensResource;
import im.protocol.client.ErrorCode;
import im.protocol.router.RouterGrpc;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A friendship that ends stops the pair's sends at once: the user service's notice (the cluster
 * form of the seam, as the router's app wires it) makes this router forget the pair it remembered
 * as allowed, long before the pair's allowed-ttl, so the next send asks the user service and is
 * refused. RedisFriendshipEndingsTest shows the notice crossing between nodes.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class FriendshipEndingSendTest {

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    SendPermissions permissions;

    @Test
    void afterARemovalTheExFriendsNextSendIsRefusedAtOnce_bothWays() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        chatUntilRemembered(alice, bob);

        given().auth().oauth2(bob.token()).delete("/friends/" + alice.id()).then().statusCode(204);

        assertNotFriends(() -> as(router, alice.token()).send(send("phone", bob.id(), newClientMsgId(), "still?")));
        assertNotFriends(() -> as(router, bob.token()).send(send("phone", alice.id(), newClientMsgId(), "still?")));
    }

    @Test
    void afterABlockTheBlockedUsersNextSendIsRefusedAtOnce_andAfterUnblockAndANewFriendshipItIsAllowedAgain() {
        TestUser alice = newUser(users);
        TestUser mallory = newUser(users);
        befriend(mallory, alice);
        chatUntilRemembered(mallory, alice);

        given().auth().oauth2(alice.token()).put("/friends/blocks/" + mallory.id()).then().statusCode(200);

        assertNotFriends(() -> as(router, mallory.token()).send(send("phone", alice.id(), newClientMsgId(), "hey")));

        given().auth().oauth2(alice.token()).delete("/friends/blocks/" + mallory.id()).then().statusCode(204);
        assertNotFriends(() -> as(router, mallory.token()).send(send("phone", alice.id(), newClientMsgId(), "hey")));
        befriend(alice, mallory);
        assertTrue(as(router, mallory.token()).send(send("phone", alice.id(), newClientMsgId(), "friends again"))
                .getAck().getSeq() > 0);
    }

    /**
     * Both send until the router remembers the pair both ways: a (re)subscription of the notice
     * channel at that moment would have made it forget.
     */
    private void chatUntilRemembered(TestUser a, TestUser b) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            as(router, a.token()).send(send("phone", b.id(), newClientMsgId(), "hi"));
            as(router, b.token()).send(send("phone", a.id(), newClientMsgId(), "hi"));
            return permissions.allowedWithoutAsking(a.id(), b.id()) && permissions.allowedWithoutAsking(b.id(), a.id());
        });
    }

    private static void assertNotFriends(Runnable call) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(ErrorCode.NOT_FRIENDS, GrpcErrors.codeOf(refused), refused.toString());
    }
}
