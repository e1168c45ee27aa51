package im.user.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.service.ServiceName;
import im.common.testing.TestServiceTokens;
import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import im.protocol.user.GetUserRequest;
import im.protocol.user.UserDirectoryGrpc;
import im.user.TestUsers;
import im.user.TestUsers.TestUser;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code PUT /users/me/profile}: a user renames itself, over the real REST API and MariaDB. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class ProfileEditRestTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @GrpcClient("directory-under-test")
    UserDirectoryGrpc.UserDirectoryBlockingStub directory;

    @Test
    void aNewDisplayName_isWhatOthersSeeByIdBySearchAndOverGrpc() {
        String prefix = "ren" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        TestUser alice = TestUsers.named(directory, prefix + "alice");
        TestUser bob = TestUsers.create(directory);

        rename(alice, "  Alice Liddell \t").statusCode(200)
                .body("userId", equalTo((int) alice.id()))
                .body("username", equalTo(alice.username()))
                .body("displayName", equalTo("Alice Liddell"));

        given().auth().oauth2(bob.token()).get("/users/" + alice.id()).then().statusCode(200)
                .body("displayName", equalTo("Alice Liddell"));
        given().auth().oauth2(bob.token()).queryParam("prefix", prefix).get("/users/search").then().statusCode(200)
                .body("displayName", contains("Alice Liddell"));
        given().auth().oauth2(alice.token()).get("/users/me").then().body("displayName", equalTo("Alice Liddell"));
        assertEquals("Alice Liddell", directory.withCallCredentials(TestServiceTokens.as(ServiceName.ROUTER, ServiceName.USER))
                .getUser(GetUserRequest.newBuilder().setUserId(alice.id()).build()).getUser().getDisplayName());
    }

    @Test
    void sixtyFourCharacters_otherScripts_andJoinedEmoji_areNames() {
        TestUser alice = TestUsers.create(directory);
        rename(alice, "x".repeat(64)).statusCode(200).body("displayName", equalTo("x".repeat(64)));
        // ZWNJ inside a Persian word, ZWJ inside the family emoji
        String mixed = "Zoë می\u200Cخواهم 👨\u200D👩\u200D👧";
        rename(alice, mixed).statusCode(200).body("displayName", equalTo(mixed));
        given().auth().oauth2(alice.token()).get("/users/me").then().body("displayName", equalTo(mixed));
    }

    @Test
    void blankTooLongMissingOrWithControlCharacters_is400InvalidArgument_andTheNameStays() {
        TestUser alice = TestUsers.create(directory);
        String before = "User " + alice.id();

        refused(rename(alice, "   "), "displayName is required and may not be blank");
        refused(rename(alice, ""), "displayName is required and may not be blank");
        refused(rename(alice, "x".repeat(65)), "displayName may have at most 64 characters");
        refused(rename(alice, "Alice\nAdmin"), "displayName may not contain control or format characters (U+000A)");
        refused(rename(alice, "Al\u0000ice"), "displayName may not contain control or format characters (U+0000)");
        // a right-to-left override would show the rest of a message line reversed
        refused(rename(alice, "Alice\u202Egnp.exe"), "displayName may not contain control or format characters (U+202E)");
        refused(rename(alice, "Alice\u2028Admin"), "displayName may not contain control or format characters (U+2028)");
        refused(as(alice).body("{\"displayName\":\"Al\\ud800ice\"}").put("/users/me/profile").then(),
                "displayName may not contain control or format characters (U+D800)");
        refused(as(alice).body("{}").put("/users/me/profile").then(), "displayName is required and may not be blank");
        refused(as(alice).body("{\"displayName\":null}").put("/users/me/profile").then(),
                "displayName is required and may not be blank");

        given().auth().oauth2(alice.token()).get("/users/me").then().body("displayName", equalTo(before));
    }

    @Test
    void aBodyThatIsNotAProfile_is400MalformedBody() {
        TestUser alice = TestUsers.create(directory);
        as(alice).body("{\"displayName\":[\"Alice\"]}").put("/users/me/profile").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("code", equalTo("MALFORMED_BODY"));
        as(alice).body("{\"displayName\":\"A\",\"displayName\":\"B\"}").put("/users/me/profile").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("code", equalTo("MALFORMED_BODY"));
    }

    @Test
    void aUserRenamesOnlyItself_noPathNamesAnotherUser() {
        TestUser alice = TestUsers.create(directory);
        TestUser bob = TestUsers.create(directory);

        rename(bob, "Bob").statusCode(200).body("userId", equalTo((int) bob.id()));
        as(bob).body(Map.of("displayName", "Not Alice")).put("/users/" + alice.id() + "/profile").then()
                .statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("NOT_FOUND"));

        given().auth().oauth2(bob.token()).get("/users/" + alice.id()).then()
                .body("displayName", equalTo("User " + alice.id()));
    }

    @Test
    void withoutAToken_is401_andWithoutTheProfilePermission_is403_bothProblems() {
        given().contentType(ContentType.JSON).body(Map.of("displayName", "Nobody")).put("/users/me/profile").then()
                .statusCode(401).contentType(PROBLEM_JSON).header("WWW-Authenticate", equalTo("Bearer"))
                .body("code", equalTo("UNAUTHENTICATED"));
        String noPermissions = TestTokens.issueGranting(TestUsers.unusedId(), "stripped", Set.of(), Set.of());
        given().auth().oauth2(noPermissions).contentType(ContentType.JSON).body(Map.of("displayName", "Nobody"))
                .put("/users/me/profile").then()
                .statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void aTokenOfAUserWithoutAProfile_is404UnknownUser() {
        String ghost = TestTokens.issue(TestUsers.unusedId(), "ghost");
        given().auth().oauth2(ghost).contentType(ContentType.JSON).body(Map.of("displayName", "Ghost"))
                .put("/users/me/profile").then().statusCode(404).body("code", equalTo("UNKNOWN_USER"));
    }

    private static RequestSpecification as(TestUser user) {
        return given().auth().oauth2(user.token()).contentType(ContentType.JSON);
    }

    private static ValidatableResponse rename(TestUser user, String displayName) {
        return as(user).body(Map.of("displayName", displayName)).put("/users/me/profile").then();
    }

    private static void refused(ValidatableResponse response, String detail) {
        response.statusCode(400).contentType(PROBLEM_JSON)
                .body("status", equalTo(400))
                .body("code", equalTo("INVALID_ARGUMENT"))
                .body("detail", equalTo(detail));
    }
}
