package im.push.end2end;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.common.testing.TestTokens;
import im.protocol.client.Frame;
import im.protocol.client.SendAck;
import im.protocol.user.CreateProfileRequest;
import im.protocol.user.UserDirectoryGrpc;
import java.util.concurrent.atomic.AtomicLong;

/** Users of the end-to-end tests: real profiles in the user directory, real tokens, real friendships. */
final class TestUsers {

    record User(long id, String username, String token) {
    }

    // One id sequence for every test class of the Quarkus boot they share; far above what other
    // modules' tests use in their own databases.
    private static final AtomicLong NEXT_ID = new AtomicLong(7000);

    private TestUsers() {
    }

    /** A new user with a profile in the directory and a trusted token. */
    static User create(UserDirectoryGrpc.UserDirectoryBlockingStub directory, String prefix) {
        long id = NEXT_ID.incrementAndGet();
        String username = prefix + "-" + id;
        directory.withCallCredentials(TestServiceTokens.as(ServiceName.AUTH, ServiceName.USER))
                .createProfile(CreateProfileRequest.newBuilder().setUserId(id).setUsername(username)
                .setDisplayName(username).build());
        return new User(id, username, TestTokens.issue(id, username));
    }

    /** a asks, b accepts, over the user service's REST API. */
    static void befriend(User a, User b) {
        long requestId = given().auth().oauth2(a.token())
                .contentType("application/json").body("{\"toUserId\":" + b.id() + "}")
                .post("/friends/requests")
                .then().statusCode(201)
                .extract().jsonPath().getLong("requestId");
        given().auth().oauth2(b.token())
                .post("/friends/requests/" + requestId + "/accept")
                .then().statusCode(200);
    }

    static SendAck sendAck(Frame frame) {
        assertEquals(Frame.BodyCase.SEND_ACK, frame.getBodyCase(), () -> "expected a SendAck, got " + frame);
        return frame.getSendAck();
    }
}
