package im.router.group;

import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.unknownUserId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.testing.TestTokensResource;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user service's group REST API (im.user.group) against this app's real router: the user
 * service runs in the router's test app, and its router client calls this app's Groups over gRPC
 * with the REST caller's token.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class GroupsRestTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Test
    void createdGroupIsTheOwnersAndEveryMembersToGetAndList() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);

        JsonPath created = as(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "trip", "memberIds", List.of(bob.id(), carol.id())))
                .post("/groups")
                .then().statusCode(201).contentType(ContentType.JSON)
                .body("name", equalTo("trip"))
                .body("joinPolicy", equalTo("ADMINS_INVITE"))
                .body("myRole", equalTo("OWNER"))
                .body("memberCount", equalTo(3))
                .body("muted", equalTo(false))
                .body("dissolved", equalTo(false))
                .extract().jsonPath();
        long groupId = created.getLong("groupId");
        assertEquals(alice.id(), created.getLong("ownerId"));
        assertFalse(created.getString("conversationId").isEmpty());
        assertTrue(created.getLong("createdAtMs") > 0);
        assertTrue(created.getLong("joinedSeq") > 0, "the owner reads from the group's creation");

        JsonPath seenByBob = as(bob).get("/groups/" + groupId).then().statusCode(200)
                .body("myRole", equalTo("MEMBER"))
                .body("name", equalTo("trip"))
                .body("conversationId", equalTo(created.getString("conversationId")))
                .extract().jsonPath();
        assertEquals(alice.id(), seenByBob.getLong("ownerId"));
        assertTrue(myGroupIds(bob).contains(groupId));
        assertTrue(myGroupIds(alice).contains(groupId));
    }

    @Test
    void createdGroupTakesTheAskedJoinPolicy_andAnOpenOneIsJoinedByAnyone() {
        TestUser alice = newUser(users);
        TestUser dave = newUser(users);
        long groupId = as(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "open door", "joinPolicy", "OPEN"))
                .post("/groups")
                .then().statusCode(201).body("joinPolicy", equalTo("OPEN")).body("memberCount", equalTo(1))
                .extract().jsonPath().getLong("groupId");

        long joinedAt = change(as(dave).post("/groups/" + groupId + "/join"), groupId);

        assertTrue(joinedAt > 0);
        JsonPath seenByDave = as(dave).get("/groups/" + groupId).then().statusCode(200)
                .body("myRole", equalTo("MEMBER")).body("memberCount", equalTo(2))
                .extract().jsonPath();
        assertEquals(joinedAt, seenByDave.getLong("joinedSeq"));
    }

    @Test
    void askingToJoinAnApprovalGroupWaits_untilAnAdminApprovesOrRejects() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser frank = newUser(users);
        TestUser gina = newUser(users);
        long groupId = as(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "by approval", "memberIds", List.of(bob.id()), "joinPolicy", "APPROVAL"))
                .post("/groups")
                .then().statusCode(201).body("joinPolicy", equalTo("APPROVAL")).extract().jsonPath().getLong("groupId");

        JsonPath asked = as(frank).post("/groups/" + groupId + "/join").then().statusCode(200)
                .body("pending", equalTo(true)).extract().jsonPath();
        assertEquals(groupId, asked.getLong("groupId"));
        assertEquals(0, asked.getLong("seq"), "nothing enters the timeline while the request waits");
        as(gina).post("/groups/" + groupId + "/join").then().statusCode(200).body("pending", equalTo(true));
        assertUnknownGroup(as(frank).get("/groups/" + groupId).then());
        as(bob).get("/groups/" + groupId + "/requests").then().statusCode(403).contentType(PROBLEM_JSON)
                .body("code", equalTo("PERMISSION_DENIED"));
        JsonPath requests = as(alice).get("/groups/" + groupId + "/requests").then().statusCode(200)
                .contentType(ContentType.JSON).extract().jsonPath();
        assertEquals(List.of(frank.id(), gina.id()), requests.getList("userId", Long.class));
        assertTrue(requests.getLong("[0].requestedAtMs") > 0);

        long joinedAt = change(as(alice).post("/groups/" + groupId + "/requests/" + frank.id() + "/approve"),
                groupId);
        assertTrue(joinedAt > 0);
        JsonPath seenByFrank = as(frank).get("/groups/" + groupId).then().statusCode(200)
                .body("myRole", equalTo("MEMBER")).body("memberCount", equalTo(3)).extract().jsonPath();
        assertEquals(joinedAt, seenByFrank.getLong("joinedSeq"));
        assertTrue(myGroupIds(frank).contains(groupId));

        assertEquals(0, change(as(alice).delete("/groups/" + groupId + "/requests/" + gina.id()), groupId),
                "a rejection enters nothing in the timeline");
        assertUnknownGroup(as(gina).get("/groups/" + groupId).then());
        assertFalse(myGroupIds(gina).contains(groupId));
        assertEquals(List.of(), as(alice).get("/groups/" + groupId + "/requests").then().statusCode(200)
                .extract().jsonPath().getList("userId", Long.class));
        as(alice).get("/groups/" + groupId).then().statusCode(200).body("memberCount", equalTo(3));
    }

    @Test
    void membersAreListedInUserIdOrderAPageAtATime() {
        TestUser alice = newUser(users);
        List<TestUser> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(newUser(users));
        }
        long groupId = create(alice, "many", others.toArray(TestUser[]::new));

        List<Long> listed = new ArrayList<>();
        List<Boolean> hasMore = new ArrayList<>();
        long after = 0;
        do {
            JsonPath page = as(others.get(2)).queryParam("after", after).queryParam("limit", 4)
                    .get("/groups/" + groupId + "/members")
                    .then().statusCode(200).extract().jsonPath();
            List<Long> ids = page.getList("members.userId", Long.class);
            assertTrue(ids.size() <= 4);
            listed.addAll(ids);
            hasMore.add(page.getBoolean("hasMore"));
            after = ids.get(ids.size() - 1);
        } while (hasMore.get(hasMore.size() - 1));

        List<Long> expected = new ArrayList<>(others.stream().map(TestUser::id).toList());
        expected.add(alice.id());
        assertEquals(expected.stream().sorted().toList(), listed);
        assertEquals(List.of(true, false), hasMore);

        JsonPath all = as(alice).get("/groups/" + groupId + "/members").then().statusCode(200)
                .body("hasMore", equalTo(false)).extract().jsonPath();
        assertEquals(6, all.getList("members").size());
        assertEquals("OWNER", member(all, alice.id()).get("role"));
        assertEquals("MEMBER", member(all, others.get(0).id()).get("role"));
        assertEquals(Boolean.FALSE, member(all, others.get(0).id()).get("muted"));
        assertTrue(((Number) member(all, others.get(0).id()).get("joinedSeq")).longValue() > 0);
    }

    @Test
    void addedMembersSeeTheGroup_andRemovedOrLeavingOnesNoLonger() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser dave = newUser(users);
        long groupId = create(alice, "changing", bob);

        long added = change(as(alice).contentType(ContentType.JSON)
                .body(Map.of("userIds", List.of(dave.id()))).post("/groups/" + groupId + "/members"), groupId);
        assertTrue(added > 0);
        as(dave).get("/groups/" + groupId).then().statusCode(200).body("memberCount", equalTo(3));
        assertEquals(0, change(as(alice).contentType(ContentType.JSON)
                .body(Map.of("userIds", List.of(dave.id()))).post("/groups/" + groupId + "/members"), groupId),
                "adding a member who is in already changes nothing");

        long removed = change(as(alice).delete("/groups/" + groupId + "/members/" + dave.id()), groupId);
        assertTrue(removed > added);
        assertUnknownGroup(as(dave).get("/groups/" + groupId).then());
        assertFalse(myGroupIds(dave).contains(groupId));

        long left = change(as(bob).post("/groups/" + groupId + "/leave"), groupId);
        assertTrue(left > removed);
        assertUnknownGroup(as(bob).get("/groups/" + groupId).then());
        assertFalse(myGroupIds(bob).contains(groupId));
        as(alice).get("/groups/" + groupId).then().statusCode(200).body("memberCount", equalTo(1));
    }

    @Test
    void ownerMutesPromotesRenamesHandsOverAndDissolves() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        long groupId = create(alice, "settings", bob, carol);

        long seq = change(as(alice).contentType(ContentType.JSON).body(Map.of("muted", true))
                .put("/groups/" + groupId + "/members/" + carol.id() + "/muted"), groupId);
        assertEquals(Boolean.TRUE, member(members(alice, groupId), carol.id()).get("muted"));

        seq = later(seq, change(as(alice).contentType(ContentType.JSON).body(Map.of("muted", true))
                .put("/groups/" + groupId + "/muted"), groupId));
        as(bob).get("/groups/" + groupId).then().statusCode(200).body("muted", equalTo(true));

        seq = later(seq, change(as(alice).contentType(ContentType.JSON).body(Map.of("role", "ADMIN"))
                .put("/groups/" + groupId + "/members/" + bob.id() + "/role"), groupId));
        as(bob).get("/groups/" + groupId).then().statusCode(200).body("myRole", equalTo("ADMIN"));
        assertEquals("ADMIN", member(members(alice, groupId), bob.id()).get("role"));

        seq = later(seq, change(as(alice).contentType(ContentType.JSON).body(Map.of("name", "renamed"))
                .put("/groups/" + groupId + "/name"), groupId));
        as(carol).get("/groups/" + groupId).then().statusCode(200).body("name", equalTo("renamed"));

        seq = later(seq, change(as(alice).contentType(ContentType.JSON).body(Map.of("userId", bob.id()))
                .put("/groups/" + groupId + "/owner"), groupId));
        JsonPath afterHandOver = as(alice).get("/groups/" + groupId).then().statusCode(200)
                .body("myRole", equalTo("ADMIN")).extract().jsonPath();
        assertEquals(bob.id(), afterHandOver.getLong("ownerId"));

        as(alice).delete("/groups/" + groupId).then().statusCode(403)
                .contentType(PROBLEM_JSON).body("code", equalTo("PERMISSION_DENIED"));
        later(seq, change(as(bob).delete("/groups/" + groupId), groupId));
        as(carol).get("/groups/" + groupId).then().statusCode(200).body("dissolved", equalTo(true));
    }

    @Test
    void aNonMemberFindsNoGroup() {
        TestUser alice = newUser(users);
        TestUser mallory = newUser(users);
        long groupId = create(alice, "closed");

        assertUnknownGroup(as(mallory).get("/groups/" + groupId).then());
        assertUnknownGroup(as(mallory).get("/groups/" + groupId + "/members").then());
        assertUnknownGroup(as(mallory).contentType(ContentType.JSON).body(Map.of("name", "mine now"))
                .put("/groups/" + groupId + "/name").then());
        assertFalse(myGroupIds(mallory).contains(groupId));
    }

    @Test
    void aPlainMemberMayNotRemoveAnother() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        long groupId = create(alice, "ranks", bob, carol);

        as(bob).delete("/groups/" + groupId + "/members/" + carol.id()).then().statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("status", equalTo(403))
                .body("code", equalTo("PERMISSION_DENIED"))
                .body("detail", containsString("remove"));
        as(carol).get("/groups/" + groupId).then().statusCode(200);
    }

    @Test
    void unknownUsersAreRefusedBeforeTheRouterIsAsked() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        long nobody = unknownUserId();

        as(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "ghosts", "memberIds", List.of(bob.id(), nobody)))
                .post("/groups")
                .then().statusCode(404).contentType(PROBLEM_JSON)
                .body("code", equalTo("UNKNOWN_USER")).body("detail", containsString(Long.toString(nobody)));
        assertTrue(myGroupIds(alice).isEmpty(), "no group was made");

        long groupId = create(alice, "real", bob);
        as(alice).contentType(ContentType.JSON).body(Map.of("userIds", List.of(nobody)))
                .post("/groups/" + groupId + "/members")
                .then().statusCode(404).contentType(PROBLEM_JSON)
                .body("code", equalTo("UNKNOWN_USER")).body("detail", containsString(Long.toString(nobody)));
        as(alice).contentType(ContentType.JSON).body(Map.of("userId", nobody))
                .put("/groups/" + groupId + "/owner")
                .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("UNKNOWN_USER"));
        as(alice).post("/groups/" + groupId + "/requests/" + nobody + "/approve")
                .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("UNKNOWN_USER"));
    }

    @Test
    void malformedRequestsAre400() {
        TestUser alice = newUser(users);
        long groupId = create(alice, "strict");

        as(alice).contentType(ContentType.JSON).body(Map.of("name", "x", "joinPolicy", "ANYONE"))
                .post("/groups").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("code", equalTo("INVALID_ARGUMENT"));
        as(alice).contentType(ContentType.JSON).body(Map.of("name", ""))
                .post("/groups").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("code", equalTo("INVALID_ARGUMENT"));
        as(alice).queryParam("limit", 0).get("/groups/" + groupId + "/members").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("code", equalTo("INVALID_ARGUMENT"));
        as(alice).queryParam("limit", 501).get("/groups/" + groupId + "/members").then().statusCode(400);
        as(alice).contentType(ContentType.JSON).body(Map.of("role", "OWNER"))
                .put("/groups/" + groupId + "/members/" + alice.id() + "/role").then().statusCode(400);
        Map<String, Object> noMuted = new HashMap<>();
        noMuted.put("muted", null);
        as(alice).contentType(ContentType.JSON).body(noMuted)
                .put("/groups/" + groupId + "/muted").then().statusCode(400);
        List<Long> tooMany = new ArrayList<>();
        for (long id = 1; id <= 501; id++) {
            tooMany.add(id);
        }
        as(alice).contentType(ContentType.JSON).body(Map.of("userIds", tooMany))
                .post("/groups/" + groupId + "/members").then().statusCode(400)
                .body("code", equalTo("INVALID_ARGUMENT"));
        as(alice).contentType(ContentType.JSON).body(Map.of("userIds", Arrays.asList(1L, null)))
                .post("/groups/" + groupId + "/members").then().statusCode(400);
    }

    @Test
    void callsWithoutATokenAre401() {
        given().get("/groups").then().statusCode(401);
        given().get("/groups/1").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("name", "anonymous")).post("/groups").then()
                .statusCode(401);
        given().post("/groups/1/leave").then().statusCode(401);
    }

    private static RequestSpecification as(TestUser user) {
        return given().auth().oauth2(user.token());
    }

    private static long create(TestUser owner, String name, TestUser... members) {
        List<Long> memberIds = Arrays.stream(members).map(TestUser::id).toList();
        return as(owner).contentType(ContentType.JSON)
                .body(Map.of("name", name, "memberIds", memberIds))
                .post("/groups")
                .then().statusCode(201).extract().jsonPath().getLong("groupId");
    }

    /** The seq a change answered, after checking it names the group and waits for nobody. */
    private static long change(Response response, long groupId) {
        JsonPath change = response.then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
        assertEquals(groupId, change.getLong("groupId"));
        assertEquals(Boolean.FALSE, change.get("pending"));
        return change.getLong("seq");
    }

    /** Each change is a later message in the group's conversation than the one before. */
    private static long later(long previous, long seq) {
        assertTrue(seq > previous, seq + " after " + previous);
        return seq;
    }

    private static List<Long> myGroupIds(TestUser user) {
        return as(user).get("/groups").then().statusCode(200).extract().jsonPath().getList("groupId", Long.class);
    }

    private static JsonPath members(TestUser user, long groupId) {
        return as(user).get("/groups/" + groupId + "/members").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> member(JsonPath page, long userId) {
        List<Map<String, Object>> members = page.getList("members");
        return members.stream().filter(m -> ((Number) m.get("userId")).longValue() == userId).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + userId + " in " + members));
    }

    private static void assertUnknownGroup(ValidatableResponse response) {
        response.statusCode(404).contentType(PROBLEM_JSON)
                .body("status", equalTo(404))
                .body("code", equalTo("UNKNOWN_GROUP"));
    }
}
