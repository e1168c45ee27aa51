package im.user;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.grpc.GrpcErrors;
import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.protocol.client.ErrorCode;
import im.protocol.user.CheckSendRequest;
import im.protocol.user.CheckSendResponse.Decision;
import im.protocol.user.CreateProfileRequest;
import im.protocol.user.GetUserRequest;
import im.protocol.user.User;
import im.protocol.user.UserDirectoryGrpc;
import im.common.testing.TestTokensResource;
import im.user.TestUsers.TestUser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class UserDirectoryGrpcTest {

    @GrpcClient("directory-under-test")
    UserDirectoryGrpc.UserDirectoryBlockingStub unsigned;
    /** Called as auth calls it (profiles), and as router calls it (send checks). */
    UserDirectoryGrpc.UserDirectoryBlockingStub directory;
    UserDirectoryGrpc.UserDirectoryBlockingStub asRouter;

    @BeforeEach
    void signCalls() {
        directory = unsigned.withCallCredentials(TestServiceTokens.as(ServiceName.AUTH, ServiceName.USER));
        asRouter = unsigned.withCallCredentials(TestServiceTokens.as(ServiceName.ROUTER, ServiceName.USER));
    }

    @Test
    void checkSendAllowsFriendsOnly() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        assertEquals(Decision.NOT_FRIENDS, check(alice.id(), bob.id()));
        assertEquals(Decision.UNKNOWN_USER, check(alice.id(), TestUsers.unusedId()));

        befriend(alice, bob);

        assertEquals(Decision.ALLOWED, check(alice.id(), bob.id()));
        assertEquals(Decision.ALLOWED, check(bob.id(), alice.id()));
    }

    @Test
    void getUserAnswersTheProfile() {
        TestUser alice = TestUsers.create(directory);
        User user = directory.getUser(GetUserRequest.newBuilder().setUserId(alice.id()).build()).getUser();
        assertEquals(alice.id(), user.getUserId());
        assertEquals(alice.username(), user.getUsername());
        assertEquals("User " + alice.id(), user.getDisplayName());
    }

    @Test
    void getUserOfUnknownIdFailsNotFoundWithUnknownUserCode() {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                () -> directory.getUser(GetUserRequest.newBuilder().setUserId(TestUsers.unusedId()).build()));
        assertEquals(Status.Code.NOT_FOUND, failure.getStatus().getCode());
        assertEquals(ErrorCode.UNKNOWN_USER, GrpcErrors.codeOf(failure));
    }

    @Test
    void createProfileTwiceWithSameIdAndUsernameChangesNothing() {
        long id = TestUsers.unusedId();
        CreateProfileRequest first = CreateProfileRequest.newBuilder()
                .setUserId(id).setUsername("twice-" + id).setDisplayName("First").build();
        assertEquals("First", directory.createProfile(first).getUser().getDisplayName());
        User again = directory.createProfile(first.toBuilder().setDisplayName("Second").build()).getUser();
        assertEquals(id, again.getUserId());
        assertEquals("First", again.getDisplayName());
    }

    @Test
    void createProfileWithoutDisplayNameUsesTheUsername() {
        long id = TestUsers.unusedId();
        User user = directory.createProfile(CreateProfileRequest.newBuilder()
                .setUserId(id).setUsername("plain-" + id).build()).getUser();
        assertEquals("plain-" + id, user.getDisplayName());
    }

    @Test
    void usernameHeldByAnotherIdFailsAlreadyExists() {
        TestUser alice = TestUsers.create(directory);
        StatusRuntimeException taken = assertThrows(StatusRuntimeException.class,
                () -> directory.createProfile(CreateProfileRequest.newBuilder()
                        .setUserId(TestUsers.unusedId()).setUsername(alice.username()).build()));
        assertEquals(Status.Code.ALREADY_EXISTS, taken.getStatus().getCode());
        StatusRuntimeException renamed = assertThrows(StatusRuntimeException.class,
                () -> directory.createProfile(CreateProfileRequest.newBuilder()
                        .setUserId(alice.id()).setUsername("other-" + alice.id()).build()));
        assertEquals(Status.Code.ALREADY_EXISTS, renamed.getStatus().getCode());
    }

    @Test
    void malformedProfilesAreRejected() {
        for (CreateProfileRequest bad : new CreateProfileRequest[] {
                CreateProfileRequest.newBuilder().setUserId(0).setUsername("zero-id").build(),
                CreateProfileRequest.newBuilder().setUserId(TestUsers.unusedId()).setUsername("No Caps").build(),
                CreateProfileRequest.newBuilder().setUserId(TestUsers.unusedId()).setUsername("ab").build(),
                CreateProfileRequest.newBuilder().setUserId(TestUsers.unusedId()).setUsername("long-name")
                        .setDisplayName("d".repeat(65)).build()}) {
            StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                    () -> directory.createProfile(bad));
            assertEquals(Status.Code.INVALID_ARGUMENT, failure.getStatus().getCode());
            assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(failure));
        }
    }

    private Decision check(long sender, long receiver) {
        return asRouter.checkSend(CheckSendRequest.newBuilder().setSenderId(sender).setReceiverId(receiver).build())
                .getDecision();
    }

    private static void befriend(TestUser a, TestUser b) {
        given().auth().oauth2(a.token()).contentType(ContentType.JSON).body(Map.of("toUserId", b.id()))
                .post("/friends/requests").then().statusCode(201);
        given().auth().oauth2(b.token()).contentType(ContentType.JSON).body(Map.of("toUserId", a.id()))
                .post("/friends/requests").then().statusCode(201);
    }
}
