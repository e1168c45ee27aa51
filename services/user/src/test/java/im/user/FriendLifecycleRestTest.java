package im.user;

import static im.user.JsonIds.id;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.testing.TestTokensResource;
import im.protocol.user.UserDirectoryGrpc;
import im.user.TestUsers.TestUser;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rejecting, removing, blocking, remarks and the accept-requests setting, over the real REST API and MariaDB. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class FriendLifecycleRestTest {

    @GrpcClient("directory-under-test")
    UserDirectoryGrpc.UserDirectoryBlockingStub directory;

    @Test
    void theAddresseeRejectsARequest_itLeavesThePendingList_andTheAskerMayAskAgain() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        int requestId = ask(alice, bob).statusCode(201).extract().path("requestId");

        as(alice).post("/friends/requests/" + requestId + "/reject").then().statusCode(404)
                .body("code", equalTo("UNKNOWN_FRIEND_REQUEST"));
        as(bob).post("/friends/requests/" + requestId + "/reject").then().statusCode(200)
                .body("requestId", equalTo(requestId)).body("status", equalTo("REJECTED"));
        as(bob).post("/friends/requests/" + requestId + "/reject").then().statusCode(200)
                .body("status", equalTo("REJECTED"));

        as(bob).get("/friends/requests").then().body("$", empty());
        as(alice).get("/friends").then().body("$", empty());
        ask(alice, bob).statusCode(201).body("requestId", equalTo(requestId)).body("status", equalTo("PENDING"));
        as(bob).get("/friends/requests").then().body("requestId", contains(requestId));
    }

    @Test
    void anAcceptedRequestCannotBeRejected_andAnUnknownOneIs404() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        int requestId = befriend(alice, bob);

        as(bob).post("/friends/requests/" + requestId + "/reject").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("ALREADY_FRIENDS"));
        as(bob).post("/friends/requests/987654321/reject").then().statusCode(404)
                .body("code", equalTo("UNKNOWN_FRIEND_REQUEST"));
    }

    @Test
    void removingAFriendEndsTheFriendshipForBothSides_andTheOldRequestWithIt() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        int requestId = befriend(alice, bob);

        as(bob).delete("/friends/" + alice.id()).then().statusCode(204);

        as(alice).get("/friends").then().body("$", empty());
        as(bob).get("/friends").then().body("$", empty());
        as(bob).post("/friends/requests/" + requestId + "/accept").then().statusCode(404);
        // Repeating the removal (as after a 503) is no error.
        as(bob).delete("/friends/" + alice.id()).then().statusCode(204);
        ask(alice, bob).statusCode(201).body("status", equalTo("PENDING"));
    }

    @Test
    void removingYourselfIs400_andAnUnknownUserIs404() {
        TestUser alice = TestUsers.create(directory);
        as(alice).delete("/friends/" + alice.id()).then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT"));
        as(alice).delete("/friends/" + TestUsers.unusedId()).then().statusCode(404).body("code", equalTo("UNKNOWN_USER"));
        as(alice).put("/friends/blocks/" + alice.id()).then().statusCode(400);
        as(alice).put("/friends/blocks/" + TestUsers.unusedId()).then().statusCode(404);
    }

    @Test
    void blockingEndsTheFriendshipAndEveryRequestBetweenThePair_inBothDirections() {
        TestUser alice = TestUsers.create(directory);
        TestUser friend = TestUsers.create(directory);
        TestUser asker = TestUsers.create(directory);
        TestUser asked = TestUsers.create(directory);
        befriend(alice, friend);
        ask(asker, alice).statusCode(201);
        ask(alice, asked).statusCode(201);

        as(alice).put("/friends/blocks/" + friend.id()).then().statusCode(200)
                .body("userId", id(friend.id())).body("username", equalTo(friend.username()));
        as(alice).put("/friends/blocks/" + asker.id()).then().statusCode(200);
        as(alice).put("/friends/blocks/" + asked.id()).then().statusCode(200);

        as(alice).get("/friends").then().body("$", empty());
        as(friend).get("/friends").then().body("$", empty());
        as(alice).get("/friends/requests").then().body("$", empty());
        as(asked).get("/friends/requests").then().body("$", empty());
        as(alice).get("/friends/blocks").then().statusCode(200)
                .body("userId", contains(id(friend.id()), id(asker.id()), id(asked.id())))
                .body("username", contains(friend.username(), asker.username(), asked.username()));
        as(friend).get("/friends/blocks").then().body("$", empty());
    }

    @Test
    void blockingTwiceKeepsTheFirstBlocksTime() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        long first = as(alice).put("/friends/blocks/" + bob.id()).then().statusCode(200)
                .extract().jsonPath().getLong("blockedAtMs");
        long again = as(alice).put("/friends/blocks/" + bob.id()).then().statusCode(200)
                .extract().jsonPath().getLong("blockedAtMs");
        assertEquals(first, again);
        as(alice).get("/friends/blocks").then().body("userId", contains(id(bob.id())));
    }

    @Test
    void aBlockedUsersRequestIsRefusedWithExactlyTheAnswerOfAUserWhoTakesNoRequests() {
        TestUser alice = TestUsers.create(directory);
        TestUser mallory = TestUsers.create(directory);

        setAcceptRequests(alice, false);
        String refusedBySetting = ask(mallory, alice).statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("FRIEND_REQUESTS_REFUSED")).extract().asString();
        String refusedByName = askByName(mallory, alice).statusCode(403).extract().asString();

        setAcceptRequests(alice, true);
        as(alice).put("/friends/blocks/" + mallory.id()).then().statusCode(200);
        String refusedByBlock = ask(mallory, alice).statusCode(403).extract().asString();
        String refusedByBlockByName = askByName(mallory, alice).statusCode(403).extract().asString();

        assertEquals(refusedBySetting, refusedByBlock, "the same status, code, title and detail");
        assertEquals(refusedByName, refusedByBlockByName);
        as(alice).get("/friends/requests").then().body("$", empty());
    }

    @Test
    void theBlockerMustUnblockBeforeAsking_andUnblockingLetsBothAskAgainWithoutRestoringTheFriendship() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        befriend(alice, bob);
        as(alice).put("/friends/blocks/" + bob.id()).then().statusCode(200);

        ask(alice, bob).statusCode(409).body("code", equalTo("USER_BLOCKED"));

        as(alice).delete("/friends/blocks/" + bob.id()).then().statusCode(204);
        as(alice).delete("/friends/blocks/" + bob.id()).then().statusCode(204);
        as(alice).get("/friends/blocks").then().body("$", empty());
        as(alice).get("/friends").then().body("$", empty());
        ask(bob, alice).statusCode(201).body("status", equalTo("PENDING"));
        ask(alice, bob).statusCode(201).body("status", equalTo("ACCEPTED"));
    }

    @Test
    void requestsAreOnByDefault_andTurnedOffTheyRefuseNewRequestsButNotTheUsersOwnPendingOne() {
        TestUser carol = TestUsers.create(directory);
        TestUser dave = TestUsers.create(directory);
        TestUser erin = TestUsers.create(directory);
        as(carol).get("/friends/settings").then().statusCode(200).body("acceptFriendRequests", equalTo(true));
        ask(carol, dave).statusCode(201);

        setAcceptRequests(carol, false).body("acceptFriendRequests", equalTo(false));
        as(carol).get("/friends/settings").then().body("acceptFriendRequests", equalTo(false));

        ask(erin, carol).statusCode(403).body("code", equalTo("FRIEND_REQUESTS_REFUSED"));
        ask(dave, carol).statusCode(201).body("status", equalTo("ACCEPTED"));
        as(carol).get("/friends").then().body("userId", contains(id(dave.id())));
    }

    @Test
    void settingsWithoutTheFlagAre400() {
        TestUser carol = TestUsers.create(directory);
        as(carol).contentType(ContentType.JSON).body("{}").put("/friends/settings").then().statusCode(400)
                .body("code", equalTo("INVALID_ARGUMENT"));
        as(carol).contentType(ContentType.JSON).body("{\"acceptFriendRequests\":null}").put("/friends/settings")
                .then().statusCode(400);
    }

    @Test
    void aRemarkIsShownInTheCallersFriendListOnly_isEditable_andGoesWhenTheFriendshipEnds() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        befriend(alice, bob);
        as(alice).get("/friends").then().body("remark", contains(nullValue()));

        remark(alice, bob, "Bobby from work").statusCode(200)
                .body("userId", id(bob.id())).body("username", equalTo(bob.username()))
                .body("remark", equalTo("Bobby from work"));
        as(alice).get("/friends").then().body("remark", contains("Bobby from work"))
                .body("displayName", contains("User " + bob.id()));
        as(bob).get("/friends").then().body("remark", contains(nullValue()));

        remark(alice, bob, "Bob").statusCode(200);
        as(alice).get("/friends").then().body("remark", contains("Bob"));
        remark(alice, bob, "").statusCode(200).body("remark", nullValue());
        as(alice).get("/friends").then().body("remark", contains(nullValue()));

        remark(alice, bob, "Bob again").statusCode(200);
        as(bob).delete("/friends/" + alice.id()).then().statusCode(204);
        befriend(bob, alice);
        as(alice).get("/friends").then().body("userId", contains(id(bob.id()))).body("remark", contains(nullValue()));
    }

    @Test
    void aRemarkForAStrangerIs404_andABlankOrLongOneIs400() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);
        remark(alice, bob, "who?").statusCode(404).body("code", equalTo("NOT_FRIENDS"));
        befriend(alice, bob);
        remark(alice, bob, "   ").statusCode(400).body("code", equalTo("INVALID_ARGUMENT"));
        remark(alice, bob, "x".repeat(65)).statusCode(400);
        remark(alice, bob, "x".repeat(64)).statusCode(200);
    }

    /** a asks, b accepts; answers the request's id. */
    private int befriend(TestUser a, TestUser b) {
        int requestId = ask(a, b).statusCode(201).extract().path("requestId");
        as(b).post("/friends/requests/" + requestId + "/accept").then().statusCode(200);
        return requestId;
    }

    private static ValidatableResponse ask(TestUser from, TestUser to) {
        return as(from).contentType(ContentType.JSON).body(Map.of("toUserId", to.id())).post("/friends/requests")
                .then();
    }

    private static ValidatableResponse askByName(TestUser from, TestUser to) {
        return as(from).contentType(ContentType.JSON).body(Map.of("toUsername", to.username()))
                .post("/friends/requests").then();
    }

    private static ValidatableResponse setAcceptRequests(TestUser user, boolean accept) {
        return as(user).contentType(ContentType.JSON).body(Map.of("acceptFriendRequests", accept))
                .put("/friends/settings").then().statusCode(200);
    }

    private static ValidatableResponse remark(TestUser user, TestUser friend, String remark) {
        return as(user).contentType(ContentType.JSON).body(Map.of("remark", remark))
                .put("/friends/" + friend.id() + "/remark").then();
    }

    private static io.restassured.specification.RequestSpecification as(TestUser user) {
        return given().auth().oauth2(user.token());
    }
}
