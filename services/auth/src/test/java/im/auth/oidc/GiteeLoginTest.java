package im.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.auth.account.Accounts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Login through Gitee against a local stand-in of Gitee ({@link MockGitee}); the test follows the
 * authorize URL itself, as the user's browser would.
 */
@QuarkusTest
class GiteeLoginTest {

    private static final int GITEE_PORT = 18093;
    private static final AtomicLong NEXT_ID = new AtomicLong(System.nanoTime() % 1_000_000_000L);
    private static final String PASSWORD = "correct horse battery";
    private static MockGitee gitee;

    /** Every body the auth service answered in a test: none may carry one of Gitee's tokens. */
    private final List<String> answers = new ArrayList<>();

    @Inject
    Accounts accounts;

    @BeforeAll
    static void startGitee() throws Exception {
        gitee = MockGitee.start(GITEE_PORT);
    }

    @AfterAll
    static void stopGitee() {
        gitee.close();
    }

    @AfterEach
    void giteesTokensNeverReachTheClient() {
        gitee.tokenEndpointFails(false);
        for (String token : gitee.issuedTokens) {
            for (String answer : answers) {
                assertFalse(answer.contains(token), "an answer carries Gitee's access token");
            }
        }
    }

    @Test
    void firstGiteeLogin_createsAnAccount_andIssuesOurOwnTokens() {
        MockGitee.User user = giteeUser(true);
        gitee.nextGrants(user);
        JsonPath started = start();
        assertTrue(started.getString("authorizeUrl").startsWith("http://127.0.0.1:" + GITEE_PORT + "/oauth/authorize?"));
        Map<String, String> authorize = MockGitee.query(started.getString("authorizeUrl"));
        assertEquals("user_info emails", authorize.get("scope"));
        assertEquals("http://localhost:18083/auth/oidc/gitee/callback", authorize.get("redirect_uri"));
        String loginId = started.getString("loginId");
        assertFalse(started.getString("authorizeUrl").contains(loginId), "the login id never goes through the browser");

        poll(loginId).then().statusCode(202).body("status", equalTo("PENDING"));
        browse(started.getString("authorizeUrl")).then().statusCode(200);
        JsonPath tokens = poll(loginId).then().statusCode(200)
                .body("username", equalTo(user.login()))
                .body("tokenType", equalTo("Bearer"))
                .extract().jsonPath();

        JsonPath me = given().auth().oauth2(tokens.getString("accessToken")).get("/users/me").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(tokens.getLong("userId"), me.getLong("userId"));
        assertEquals(user.name(), me.getString("displayName"));
        record(given().contentType(ContentType.JSON).body(Map.of("refreshToken", tokens.getString("refreshToken")))
                .post("/auth/refresh")).then().statusCode(200);
        // One-time: the login is gone once collected.
        poll(loginId).then().statusCode(410).body("code", equalTo("OIDC_LOGIN_EXPIRED"));
    }

    @Test
    void secondGiteeLogin_findsTheSameAccount() {
        MockGitee.User user = giteeUser(true);
        long first = completeLogin(user).then().statusCode(200).extract().jsonPath().getLong("userId");
        long second = completeLogin(user).then().statusCode(200).extract().jsonPath().getLong("userId");
        assertEquals(first, second);
    }

    @Test
    void giteeLoginOfABannedAccount_getsNoTokens() {
        MockGitee.User user = giteeUser(true);
        long userId = completeLogin(user).then().statusCode(200).extract().jsonPath().getLong("userId");
        accounts.setBanned(userId, true);
        completeLogin(user).then().statusCode(403).body("code", equalTo("ACCOUNT_BANNED"));
    }

    @Test
    void giteeLoginWithTheNameOfAnUnlinkedAccount_linksOnlyWithThatAccountsPassword() {
        MockGitee.User user = giteeUser(true);
        long registered = record(given().contentType(ContentType.JSON)
                .body(Map.of("username", user.login(), "password", PASSWORD)).post("/auth/register"))
                .then().statusCode(201).extract().jsonPath().getLong("userId");

        gitee.nextGrants(user);
        JsonPath started = start();
        browse(started.getString("authorizeUrl")).then().statusCode(200);
        String loginId = started.getString("loginId");
        poll(loginId).then().statusCode(202).body("status", equalTo("LINK_REQUIRED"))
                .body("username", equalTo(user.login()));

        link(loginId, user.login(), "wrong password!").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        long linked = link(loginId, user.login(), PASSWORD).then().statusCode(200)
                .extract().jsonPath().getLong("userId");
        assertEquals(registered, linked);
        link(loginId, user.login(), PASSWORD).then().statusCode(410);

        // Linked now: the next Gitee login lands in that account without a password.
        long next = completeLogin(user).then().statusCode(200).extract().jsonPath().getLong("userId");
        assertEquals(registered, next);
    }

    @Test
    void giteeLoginWhoseNameIsTakenByAnotherGiteeUser_getsANumberedUsername() {
        MockGitee.User first = giteeUser(true);
        MockGitee.User namesake = new MockGitee.User(NEXT_ID.incrementAndGet(), first.login(), "Namesake",
                "namesake@example.com", true);
        completeLogin(first).then().statusCode(200).body("username", equalTo(first.login()));
        String username = completeLogin(namesake).then().statusCode(200).extract().jsonPath().getString("username");
        assertNotEquals(first.login(), username);
        assertTrue(username.startsWith(first.login() + "-"), username);
    }

    @Test
    void callbackWithAForeignState_isRefused_andThePollReportsStateMismatch() {
        JsonPath started = start();
        String state = MockGitee.query(started.getString("authorizeUrl")).get("state");
        String forged = state.substring(0, state.indexOf('.') + 1) + "not-the-secret";
        callback("code=stolen&state=" + forged).then().statusCode(400);
        poll(started.getString("loginId")).then().statusCode(400).body("code", equalTo("OIDC_STATE_MISMATCH"));
        poll(started.getString("loginId")).then().statusCode(410);
        // A state that names no login at all.
        callback("code=stolen&state=nothing.here").then().statusCode(400);
    }

    @Test
    void consentDeniedAtGitee_endsTheLoginWithDenied() {
        gitee.nextDenies();
        JsonPath started = start();
        browse(started.getString("authorizeUrl")).then().statusCode(403);
        poll(started.getString("loginId")).then().statusCode(403).body("code", equalTo("OIDC_DENIED"));
    }

    @Test
    void tokenEndpointError_endsTheLoginWithProviderError() {
        gitee.tokenEndpointFails(true);
        MockGitee.User user = giteeUser(true);
        gitee.nextGrants(user);
        JsonPath started = start();
        browse(started.getString("authorizeUrl")).then().statusCode(502);
        poll(started.getString("loginId")).then().statusCode(502).body("code", equalTo("OIDC_PROVIDER_ERROR"));
        assertFalse(accounts.usernameTaken(user.login()));
    }

    @Test
    void giteeUserWithoutAVerifiedEmail_isRefused_andGetsNoAccount() {
        MockGitee.User user = giteeUser(false);
        gitee.nextGrants(user);
        JsonPath started = start();
        browse(started.getString("authorizeUrl")).then().statusCode(403);
        poll(started.getString("loginId")).then().statusCode(403).body("code", equalTo("OIDC_EMAIL_UNVERIFIED"));
        assertFalse(accounts.usernameTaken(user.login()));
    }

    @Test
    void unknownProvider_cannotStartALogin() {
        given().post("/auth/oidc/nope/start").then().statusCode(404).body("code", equalTo("OIDC_PROVIDER_UNKNOWN"));
    }

    private static MockGitee.User giteeUser(boolean emailConfirmed) {
        long id = NEXT_ID.incrementAndGet();
        return new MockGitee.User(id, "gitee-" + Long.toString(id, 36), "Gitee User " + id, "u" + id + "@example.com",
                emailConfirmed);
    }

    /** A whole login, consent granted: start, the browser's round trip, one poll. */
    private Response completeLogin(MockGitee.User user) {
        gitee.nextGrants(user);
        JsonPath started = start();
        browse(started.getString("authorizeUrl")).then().statusCode(200);
        return poll(started.getString("loginId"));
    }

    private JsonPath start() {
        return record(given().post("/auth/oidc/gitee/start")).then().statusCode(200).extract().jsonPath();
    }

    /** The browser: to Gitee's authorize endpoint, redirected to our callback. */
    private Response browse(String authorizeUrl) {
        return record(given().redirects().follow(true).urlEncodingEnabled(false).get(authorizeUrl));
    }

    private Response callback(String rawQuery) {
        return record(given().urlEncodingEnabled(false).get("/auth/oidc/gitee/callback?" + rawQuery));
    }

    private Response poll(String loginId) {
        return record(given().contentType(ContentType.JSON).body(Map.of("loginId", loginId)).post("/auth/oidc/poll"));
    }

    private Response link(String loginId, String username, String password) {
        return record(given().contentType(ContentType.JSON)
                .body(Map.of("loginId", loginId, "username", username, "password", password))
                .post("/auth/oidc/link"));
    }

    private Response record(Response response) {
        answers.add(response.asString());
        return response;
    }
}
