package im.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static im.user.JsonIds.id;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.testing.TestTokens;
import im.protocol.user.UserDirectoryGrpc;
import im.common.testing.TestTokensResource;
import im.user.TestUsers.TestUser;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class FriendsRestTest {

    @GrpcClient("directory-under-test")
    UserDirectoryGrpc.UserDirectoryBlockingStub directory;

    @Test
    void meAnswersTheCallersProfile() {
        TestUser alice = TestUsers.create(directory);
        given().auth().oauth2(alice.token()).get("/users/me").then().statusCode(200)
                .body("userId", id(alice.id()))
                .body("username", equalTo(alice.username()))
                .body("displayName", equalTo("User " + alice.id()));
    }

    @Test
    void usersAreFoundByIdAndByUsername() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        given().auth().oauth2(alice.token()).get("/users/" + bob.id()).then().statusCode(200)
                .body("username", equalTo(bob.username()));
        given().auth().oauth2(alice.token()).queryParam("username", bob.username()).get("/users").then()
                .statusCode(200).body("userId", id(bob.id()));
    }

    @Test
    void unknownUsersAnswer404AsProblem() {
        TestUser alice = TestUsers.create(directory);
        given().auth().oauth2(alice.token()).get("/users/" + TestUsers.unusedId()).then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404)).body("code", equalTo("UNKNOWN_USER"));
        given().auth().oauth2(alice.token()).queryParam("username", "nobody-here").get("/users").then()
                .statusCode(404);
        sendRequest(alice, Map.of("toUserId", TestUsers.unusedId())).statusCode(404)
                .body("code", equalTo("UNKNOWN_USER"));
        sendRequest(alice, Map.of("toUsername", "nobody-here")).statusCode(404);
    }

    @Test
    void callsWithoutAValidTokenAre401() {
        given().get("/users/me").then().statusCode(401);
        given().get("/friends").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("toUserId", 1)).post("/friends/requests").then()
                .statusCode(401);
        given().auth().oauth2(TestTokens.issueWithForeignKey(1, "x")).get("/users/me").then().statusCode(401);
        given().auth().oauth2(TestTokens.expired(1, "x")).get("/users/me").then().statusCode(401);
    }

    @Test
    void aTokenExpiredSecondsAgoIsRefusedAsOnTheSockets() {
        given().auth().oauth2(TestTokens.issue(1, "x", Duration.ofSeconds(-10))).get("/users/me").then()
                .statusCode(401);
    }

    @Test
    void requestThenAcceptMakesBothFriends() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);

        int requestId = sendRequest(alice, Map.of("toUsername", bob.username())).statusCode(201)
                .body("fromUserId", id(alice.id())).body("toUserId", id(bob.id()))
                .body("status", equalTo("PENDING"))
                .extract().path("requestId");

        given().auth().oauth2(bob.token()).get("/friends/requests").then().statusCode(200)
                .body("requestId", contains(requestId))
                .body("fromUsername", contains(alice.username()))
                .body("status", contains("PENDING"));
        given().auth().oauth2(alice.token()).get("/friends/requests").then().statusCode(200).body("$", empty());
        given().auth().oauth2(alice.token()).get("/friends").then().statusCode(200).body("$", empty());

        // Only the addressee may accept.
        given().auth().oauth2(alice.token()).post("/friends/requests/" + requestId + "/accept").then()
                .statusCode(404);
        given().auth().oauth2(bob.token()).post("/friends/requests/" + requestId + "/accept").then()
                .statusCode(200).body("requestId", equalTo(requestId)).body("status", equalTo("ACCEPTED"));
        // Accepting again changes nothing.
        given().auth().oauth2(bob.token()).post("/friends/requests/" + requestId + "/accept").then()
                .statusCode(200).body("status", equalTo("ACCEPTED"));

        given().auth().oauth2(alice.token()).get("/friends").then().statusCode(200)
                .body("userId", contains(id(bob.id()))).body("username", contains(bob.username()));
        given().auth().oauth2(bob.token()).get("/friends").then().statusCode(200)
                .body("userId", contains(id(alice.id())));
        given().auth().oauth2(bob.token()).get("/friends/requests").then().statusCode(200).body("$", empty());
        sendRequest(alice, Map.of("toUserId", bob.id())).statusCode(409).body("code", equalTo("ALREADY_FRIENDS"));
        sendRequest(bob, Map.of("toUserId", alice.id())).statusCode(409);
    }

    @Test
    void repeatedRequestAnswersTheSameRequest() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        int first = sendRequest(alice, Map.of("toUserId", bob.id())).statusCode(201).extract().path("requestId");
        int second = sendRequest(alice, Map.of("toUsername", bob.username())).statusCode(201)
                .body("status", equalTo("PENDING")).extract().path("requestId");
        assertEquals(first, second);
        given().auth().oauth2(bob.token()).get("/friends/requests").then().body("requestId", contains(first));
    }

    @Test
    void askingSomeoneWhoAlreadyAskedYouAcceptsBoth() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        sendRequest(alice, Map.of("toUserId", bob.id())).statusCode(201).body("status", equalTo("PENDING"));
        sendRequest(bob, Map.of("toUserId", alice.id())).statusCode(201)
                .body("fromUserId", id(bob.id())).body("status", equalTo("ACCEPTED"));
        given().auth().oauth2(alice.token()).get("/friends").then().body("userId", contains(id(bob.id())));
        given().auth().oauth2(bob.token()).get("/friends").then().body("userId", contains(id(alice.id())));
        given().auth().oauth2(bob.token()).get("/friends/requests").then().body("$", empty());
        given().auth().oauth2(alice.token()).get("/friends/requests").then().body("$", empty());
    }

    @Test
    void crossRequestsAtTheSameMomentEndAsOneFriendship() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                TestUser alice = TestUsers.create(directory);
                TestUser bob = TestUsers.create(directory);
                List<Callable<Integer>> both = List.of(
                        () -> sendRequest(alice, Map.of("toUserId", bob.id())).extract().statusCode(),
                        () -> sendRequest(bob, Map.of("toUserId", alice.id())).extract().statusCode());
                for (Future<Integer> answer : pool.invokeAll(both)) {
                    assertEquals(201, answer.get());
                }
                given().auth().oauth2(alice.token()).get("/friends").then().body("userId", contains(id(bob.id())));
                given().auth().oauth2(bob.token()).get("/friends").then().body("userId", contains(id(alice.id())));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void friendListsNameEveryFriend() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        TestUser carol = TestUsers.create(directory);
        sendRequest(bob, Map.of("toUserId", alice.id())).statusCode(201);
        sendRequest(carol, Map.of("toUserId", alice.id())).statusCode(201);
        sendRequest(alice, Map.of("toUserId", bob.id())).body("status", equalTo("ACCEPTED"));
        sendRequest(alice, Map.of("toUserId", carol.id())).body("status", equalTo("ACCEPTED"));
        given().auth().oauth2(alice.token()).get("/friends").then().statusCode(200)
                .body("username", containsInAnyOrder(bob.username(), carol.username()));
    }

    @Test
    void invalidRequestsAre400() {
        TestUser alice = TestUsers.create(directory);
        sendRequest(alice, Map.of("toUserId", alice.id())).statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("INVALID_ARGUMENT"));
        sendRequest(alice, Map.of()).statusCode(400);
        sendRequest(alice, Map.of("toUsername", "x".repeat(33))).statusCode(400);
        given().auth().oauth2(alice.token()).queryParam("username", "x".repeat(33)).get("/users").then()
                .statusCode(400);
    }

    @Test
    void acceptingAnUnknownRequestIs404() {
        TestUser alice = TestUsers.create(directory);
        given().auth().oauth2(alice.token()).post("/friends/requests/987654321/accept").then().statusCode(404)
                .body("code", equalTo("UNKNOWN_FRIEND_REQUEST"));
    }

    private static ValidatableResponse sendRequest(TestUser from, Map<String, ?> body) {
        return given().auth().oauth2(from.token()).contentType(ContentType.JSON).body(body)
                .post("/friends/requests").then();
    }
}
