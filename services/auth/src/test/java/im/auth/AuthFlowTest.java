package im.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.auth.token.SigningKey;
import im.auth.token.SigningKeyRepository;
import im.auth.token.SigningKeys;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthFlowTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final String PASSWORD = "correct horse battery";

    @Inject
    EntityManager entityManager;
    @Inject
    SigningKeys signingKeys;
    @Inject
    SigningKeyRepository signingKeyRepository;

    @Test
    void registeredUserLogsInAndTheTokenOpensUserEndpoints() {
        String username = freshUsername();
        long userId = register(username, PASSWORD, "Alice Example").statusCode(201)
                .body("username", equalTo(username))
                .body("displayName", equalTo("Alice Example"))
                .extract().jsonPath().getLong("userId");

        JsonPath login = login(username, PASSWORD).statusCode(200)
                .body("username", equalTo(username))
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .body("refreshToken", notNullValue())
                .extract().jsonPath();
        assertEquals(userId, login.getLong("userId"));

        // user's REST verifies the token against auth's JWKS, fetched over HTTP.
        JsonPath me = given().auth().oauth2(login.getString("accessToken")).get("/users/me").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(userId, me.getLong("userId"));
        assertEquals(username, me.getString("username"));
        assertEquals("Alice Example", me.getString("displayName"));
    }

    @Test
    void concurrentRegistrationsOfOneUsernameCreateOneAccount() throws Exception {
        String username = freshUsername();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                attempts.add(() -> register(username, PASSWORD, null).extract().statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(attempts)) {
                statuses.add(status.get());
            }
            statuses.sort(null);
            assertEquals(List.of(201, 409, 409, 409), statuses);
        } finally {
            pool.shutdownNow();
        }
        login(username, PASSWORD).statusCode(200);
    }

    @Test
    void displayNameDefaultsToTheUsername() {
        String username = freshUsername();
        register(username, PASSWORD, null).statusCode(201).body("displayName", equalTo(username));
    }

    @Test
    void wrongPasswordAndUnknownUsernameAre401() {
        String username = freshUsername();
        register(username, PASSWORD, null).statusCode(201);
        login(username, "wrong password!").statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("UNAUTHENTICATED"));
        login("nobody-" + username, PASSWORD).statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
    }

    @Test
    void takenUsernameIs409() {
        String username = freshUsername();
        register(username, PASSWORD, null).statusCode(201);
        register(username, "another password", null).statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409)).body("code", equalTo("USERNAME_TAKEN"));
    }

    @Test
    void invalidRegistrationsAre400() {
        String ok = freshUsername();
        register("ab", PASSWORD, null).statusCode(400).body("code", equalTo("INVALID_ARGUMENT"));
        register("x".repeat(33), PASSWORD, null).statusCode(400);
        register("Upper" + NEXT.incrementAndGet(), PASSWORD, null).statusCode(400);
        register("has space", PASSWORD, null).statusCode(400);
        register(ok, "short", null).statusCode(400);
        register(ok, "p".repeat(129), null).statusCode(400);
        register(ok, PASSWORD, "d".repeat(65)).statusCode(400);
        register(ok, PASSWORD, "   ").statusCode(400);
        // The rule a later rename meets: a name may not break or reorder the line it is shown on.
        register(ok, PASSWORD, "Alice\nAdmin").statusCode(400)
                .body("detail", equalTo("displayName may not contain control or format characters (U+000A)"));
        register(ok, PASSWORD, "Alice\u202Egnp.exe").statusCode(400)
                .body("detail", equalTo("displayName may not contain control or format characters (U+202E)"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/auth/register").then().statusCode(400);
        // None of those created the account.
        register(ok, PASSWORD, null).statusCode(201);
    }

    @Test
    void refreshRotatesAndReusingAnOldTokenRevokesTheFamily() {
        String username = freshUsername();
        register(username, PASSWORD, null).statusCode(201);
        String first = login(username, PASSWORD).statusCode(200).extract().path("refreshToken");

        JsonPath refreshed = refresh(first).statusCode(200)
                .body("username", equalTo(username)).body("tokenType", equalTo("Bearer"))
                .extract().jsonPath();
        String second = refreshed.getString("refreshToken");
        assertNotEquals(first, second);
        given().auth().oauth2(refreshed.getString("accessToken")).get("/users/me").then().statusCode(200);

        // The first token was used: presenting it again is theft, and kills the whole family.
        refresh(first).statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        refresh(second).statusCode(401);
    }

    @Test
    void anotherLoginIsAnotherFamily() {
        String username = freshUsername();
        register(username, PASSWORD, null).statusCode(201);
        String phone = login(username, PASSWORD).extract().path("refreshToken");
        String laptop = login(username, PASSWORD).extract().path("refreshToken");
        refresh(phone).statusCode(200);
        refresh(phone).statusCode(401);
        refresh(laptop).statusCode(200);
    }

    @Test
    void logoutRevokesTheFamily() {
        String username = freshUsername();
        register(username, PASSWORD, null).statusCode(201);
        String first = login(username, PASSWORD).extract().path("refreshToken");
        String second = refresh(first).statusCode(200).extract().path("refreshToken");
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", second)).post("/auth/logout").then()
                .statusCode(204);
        refresh(second).statusCode(401);
        // Unknown or malformed tokens log out silently too.
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", "not-a-token")).post("/auth/logout").then()
                .statusCode(204);
    }

    @Test
    void unknownAndMalformedRefreshTokensAre401() {
        refresh("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").statusCode(401);
        refresh("x".repeat(500)).statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of()).post("/auth/refresh").then().statusCode(401);
    }

    @Test
    void accessTokenCarriesTheDocumentedClaims() {
        String username = freshUsername();
        long userId = register(username, PASSWORD, null).extract().jsonPath().getLong("userId");
        String token = login(username, PASSWORD).extract().path("accessToken");
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        JsonPath header = JsonPath.from(decode(parts[0]));
        JsonPath claims = JsonPath.from(decode(parts[1]));

        assertEquals("EdDSA", header.getString("alg"));
        assertEquals(signingKeys.active().kid(), header.getString("kid"));
        assertEquals("im-auth", claims.getString("iss"));
        assertEquals(Long.toString(userId), claims.getString("sub"));
        assertEquals(username, claims.getString("upn"));
        assertEquals(List.of("user"), claims.getList("groups"));
        assertEquals(900, claims.getLong("exp") - claims.getLong("iat"));

        List<String> published = given().get("/auth/jwks").then().statusCode(200)
                .body("keys[0].kty", equalTo("OKP")).body("keys[0].crv", equalTo("Ed25519"))
                .body("keys[0].alg", equalTo("EdDSA"))
                .extract().jsonPath().getList("keys.kid");
        assertTrue(published.contains(header.getString("kid")));
        given().get("/auth/jwks").then().body("keys[0].d", equalTo(null));
    }

    @Test
    void aSecondPodStartingFindsTheKeyInsteadOfAddingOne() {
        String before = signingKeys.active().kid();
        SigningKey rival = new SigningKey();
        rival.kid = "rival-" + NEXT.incrementAndGet();
        rival.publicKey = new byte[] {1};
        rival.privateKey = new byte[] {2};
        rival.createdAt = System.currentTimeMillis();
        QuarkusTransaction.requiringNew().run(() -> signingKeyRepository.insertActiveIfAbsent(rival));
        signingKeys.load();

        assertEquals(before, signingKeys.active().kid());
        long active = QuarkusTransaction.requiringNew().call(() -> signingKeyRepository.count("active = true"));
        assertEquals(1, active);
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> signingKeyRepository.count("kid", rival.kid)));
    }

    @Test
    void loginRecreatesAProfileThatRegistrationCouldNotCreate() {
        String username = freshUsername();
        long userId = register(username, PASSWORD, null).extract().jsonPath().getLong("userId");
        // As if the user directory had failed during registration.
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("DELETE FROM user_profile WHERE user_id = ?1").setParameter(1, userId)
                .executeUpdate());
        String token = login(username, PASSWORD).statusCode(200).extract().path("accessToken");
        given().auth().oauth2(token).get("/users/me").then().statusCode(200).body("username", equalTo(username));
    }

    private static String freshUsername() {
        return "user-" + NEXT.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    private static ValidatableResponse register(String username, String password, String displayName) {
        Map<String, String> body = new HashMap<>();
        body.put("username", username);
        body.put("password", password);
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        return given().contentType(ContentType.JSON).body(body).post("/auth/register").then();
    }

    private static ValidatableResponse login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/auth/login").then();
    }

    private static ValidatableResponse refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken))
                .post("/auth/refresh").then();
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
