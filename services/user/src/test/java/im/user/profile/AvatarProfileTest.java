package im.user.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.grpc.GrpcErrors;
import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import im.protocol.client.ErrorCode;
import im.protocol.user.GetUserRequest;
import im.protocol.user.SetAvatarRequest;
import im.protocol.user.User;
import im.protocol.user.UserDirectoryGrpc;
import im.user.TestUsers;
import im.user.TestUsers.TestUser;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The avatar a profile names: set by the router ({@code SetAvatar}, once it stored the image),
 * shown in every view of the profile, removed by its owner ({@code DELETE /users/me/avatar}).
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class AvatarProfileTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @GrpcClient("directory-under-test")
    UserDirectoryGrpc.UserDirectoryBlockingStub directory;

    @Test
    void avatarTheRouterSets_isInTheProfileForOthers_untilItsOwnerRemovesIt() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        given().auth().oauth2(bob.token()).get("/users/" + alice.id()).then().statusCode(200)
                .body("avatarBlobId", nullValue()).body("avatarThumbnailBlobId", nullValue());

        User set = asRouter().setAvatar(SetAvatarRequest.newBuilder().setUserId(alice.id()).setBlobId("big-one")
                .setThumbnailBlobId("small_one").build()).getUser();
        assertEquals("big-one", set.getAvatarBlobId());
        assertEquals("small_one", set.getAvatarThumbnailBlobId());
        given().auth().oauth2(bob.token()).get("/users/" + alice.id()).then().statusCode(200)
                .body("avatarBlobId", equalTo("big-one")).body("avatarThumbnailBlobId", equalTo("small_one"));
        assertEquals("big-one", getUser(alice.id()).getAvatarBlobId());

        // An image that needed no thumbnail replaces the old one's thumbnail too.
        asRouter().setAvatar(SetAvatarRequest.newBuilder().setUserId(alice.id()).setBlobId("tiny").build());
        given().auth().oauth2(alice.token()).get("/users/me").then()
                .body("avatarBlobId", equalTo("tiny")).body("avatarThumbnailBlobId", nullValue());

        given().auth().oauth2(alice.token()).delete("/users/me/avatar").then().statusCode(200)
                .body("userId", equalTo((int) alice.id())).body("avatarBlobId", nullValue());
        given().auth().oauth2(bob.token()).get("/users/" + alice.id()).then().body("avatarBlobId", nullValue());
        assertEquals("", getUser(alice.id()).getAvatarBlobId());
    }

    @Test
    void setAvatar_refusesMalformedBlobIdsAndUnknownUsers_andChangesNothing() {
        TestUser alice = TestUsers.create(directory);
        asRouter().setAvatar(SetAvatarRequest.newBuilder().setUserId(alice.id()).setBlobId("kept").build());

        for (SetAvatarRequest bad : new SetAvatarRequest[] {
                SetAvatarRequest.newBuilder().setUserId(alice.id()).build(),
                SetAvatarRequest.newBuilder().setUserId(alice.id()).setBlobId("../etc/passwd").build(),
                SetAvatarRequest.newBuilder().setUserId(alice.id()).setBlobId("x".repeat(129)).build(),
                SetAvatarRequest.newBuilder().setUserId(alice.id()).setBlobId("ok").setThumbnailBlobId("no way").build()}) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> asRouter().setAvatar(bad));
            assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(refused));
        }
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> asRouter()
                .setAvatar(SetAvatarRequest.newBuilder().setUserId(TestUsers.unusedId()).setBlobId("b").build()));
        assertEquals(ErrorCode.UNKNOWN_USER, GrpcErrors.codeOf(unknown));

        assertEquals("kept", getUser(alice.id()).getAvatarBlobId());
    }

    @Test
    void removingTheAvatar_ofATokenWithoutAProfile_is404_andWithoutAToken_is401() {
        given().auth().oauth2(TestTokens.issue(TestUsers.unusedId(), "ghost")).delete("/users/me/avatar").then()
                .statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("UNKNOWN_USER"));
        given().delete("/users/me/avatar").then().statusCode(401).contentType(PROBLEM_JSON);
    }

    private UserDirectoryGrpc.UserDirectoryBlockingStub asRouter() {
        return directory.withCallCredentials(TestServiceTokens.as(ServiceName.ROUTER, ServiceName.USER));
    }

    private User getUser(long userId) {
        return asRouter().getUser(GetUserRequest.newBuilder().setUserId(userId).build()).getUser();
    }
}
