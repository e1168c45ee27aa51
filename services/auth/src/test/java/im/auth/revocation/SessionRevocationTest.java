package im.auth.revocation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.auth.role.Roles;
import im.common.token.AccessTokenVerifier;
import im.common.token.TokenRejectedException;
import im.protocol.client.ErrorCode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Logout, logout everywhere, refresh-token reuse and bans end access tokens too, not only refresh
 * tokens: REST (user's /users/me, running in this test app) and the gRPC-side verifier refuse
 * them at once with SESSION_REVOKED.
 */
@QuarkusTest
class SessionRevocationTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final String PASSWORD = "correct horse battery";

    @Inject
    AccessTokenVerifier verifier;
    @Inject
    Roles roles;

    @Test
    void accessTokensNameTheirLogin_andKeepItAcrossRefreshes() {
        String username = registered();
        JsonPath login = login(username).statusCode(200).extract().jsonPath();
        JsonPath refreshed = refresh(login.getString("refreshToken")).statusCode(200).extract().jsonPath();
        JsonPath other = login(username).statusCode(200).extract().jsonPath();

        JsonPath first = claims(login.getString("accessToken"));
        assertNotNull(first.getString("sid"));
        assertNotNull(first.get("iat"));
        assertEquals(first.getString("sid"), claims(refreshed.getString("accessToken")).getString("sid"));
        assertEquals(false, first.getString("sid").equals(claims(other.getString("accessToken")).getString("sid")));
    }

    @Test
    void logoutEndsThatLoginsAccessTokens_andNotTheOtherLogins() throws Exception {
        String username = registered();
        JsonPath phone = login(username).extract().jsonPath();
        JsonPath laptop = login(username).extract().jsonPath();
        me(phone).statusCode(200);

        given().contentType(ContentType.JSON).body(Map.of("refreshToken", phone.getString("refreshToken")))
                .post("/auth/logout").then().statusCode(204);

        me(phone).statusCode(401).body("code", equalTo("SESSION_REVOKED"));
        assertRefusedAsRevoked(phone.getString("accessToken"));
        me(laptop).statusCode(200);
        assertEquals(Long.parseLong(claims(laptop.getString("accessToken")).getString("sub")),
                verifier.verify(laptop.getString("accessToken")).userId());
    }

    @Test
    void logoutAllEndsEveryLoginOfTheCaller_andALaterLoginWorks() throws Exception {
        String username = registered();
        JsonPath phone = login(username).extract().jsonPath();
        JsonPath laptop = login(username).extract().jsonPath();
        me(laptop).statusCode(200);
        verifier.verify(laptop.getString("accessToken")); // remembered by the verifier from now on

        given().auth().oauth2(phone.getString("accessToken")).post("/auth/logout-all").then().statusCode(204);

        me(phone).statusCode(401).body("code", equalTo("SESSION_REVOKED"));
        me(laptop).statusCode(401).body("code", equalTo("SESSION_REVOKED"));
        assertRefusedAsRevoked(laptop.getString("accessToken"));
        refresh(phone.getString("refreshToken")).statusCode(401);
        refresh(laptop.getString("refreshToken")).statusCode(401);
        JsonPath again = login(username).statusCode(200).extract().jsonPath();
        me(again).statusCode(200);
    }

    @Test
    void logoutAllNeedsAnAccessToken() {
        given().post("/auth/logout-all").then().statusCode(401);
    }

    @Test
    void reusingARefreshTokenEndsTheLoginsAccessTokens() throws Exception {
        String username = registered();
        JsonPath login = login(username).extract().jsonPath();
        JsonPath refreshed = refresh(login.getString("refreshToken")).statusCode(200).extract().jsonPath();
        me(refreshed).statusCode(200);

        refresh(login.getString("refreshToken")).statusCode(401);

        me(refreshed).statusCode(401).body("code", equalTo("SESSION_REVOKED"));
        assertRefusedAsRevoked(refreshed.getString("accessToken"));
        assertRefusedAsRevoked(login.getString("accessToken"));
    }

    @Test
    void aBanEndsTheSessions_andRefusesLoginAndRefreshWithAccountBanned_untilUnbanned() throws Exception {
        String victim = registered();
        JsonPath session = login(victim).extract().jsonPath();
        long victimId = session.getLong("userId");
        String admin = registered();
        JsonPath adminLogin = login(admin).extract().jsonPath();
        roles.replace(adminLogin.getLong("userId"), Set.of("user", "admin"));
        String adminToken = login(admin).extract().path("accessToken");

        // a user without the admin role may not ban
        given().auth().oauth2(session.getString("accessToken")).post("/auth/admin/users/" + adminLogin.getLong("userId") + "/ban")
                .then().statusCode(403);
        given().auth().oauth2(adminToken).post("/auth/admin/users/" + victimId + "/ban").then().statusCode(204);

        me(session).statusCode(401).body("code", equalTo("SESSION_REVOKED"));
        assertRefusedAsRevoked(session.getString("accessToken"));
        login(victim).statusCode(403).body("code", equalTo("ACCOUNT_BANNED"));
        refresh(session.getString("refreshToken")).statusCode(403).body("code", equalTo("ACCOUNT_BANNED"));
        given().auth().oauth2(adminToken).post("/auth/admin/users/999999999/ban").then().statusCode(404);

        given().auth().oauth2(adminToken).delete("/auth/admin/users/" + victimId + "/ban").then().statusCode(204);

        JsonPath back = login(victim).statusCode(200).extract().jsonPath();
        me(back).statusCode(200);
    }

    private void assertRefusedAsRevoked(String accessToken) {
        TokenRejectedException refused = assertThrows(TokenRejectedException.class, () -> verifier.verify(accessToken));
        assertEquals(ErrorCode.SESSION_REVOKED, refused.code());
        assertEquals("session revoked", refused.getMessage());
    }

    private static String registered() {
        String username = "rv" + ProcessHandle.current().pid() % 10000 + "x" + NEXT.incrementAndGet();
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", PASSWORD))
                .post("/auth/register").then().statusCode(201);
        return username;
    }

    private static ValidatableResponse login(String username) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", PASSWORD))
                .post("/auth/login").then();
    }

    private static ValidatableResponse refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken))
                .post("/auth/refresh").then();
    }

    private static ValidatableResponse me(JsonPath login) {
        return given().auth().oauth2(login.getString("accessToken")).get("/users/me").then();
    }

    private static JsonPath claims(String token) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
