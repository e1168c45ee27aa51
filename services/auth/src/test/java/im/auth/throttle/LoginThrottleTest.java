package im.auth.throttle;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The limits at their production sizes, with a short account window so that a test can see one
 * end. Proxy address forwarding is on, so that each test comes from an address of its own
 * (X-Forwarded-For) and the address limits of one test do not reach into another.
 */
@QuarkusTest
@TestProfile(LoginThrottleTest.Throttled.class)
class LoginThrottleTest {

    public static class Throttled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "im.auth.throttle.account-failures", "5",
                    "im.auth.throttle.account-window", "6s",
                    "im.auth.throttle.address-logins", "30",
                    "im.auth.throttle.address-login-window", "1m",
                    "im.auth.throttle.address-registrations", "10",
                    "im.auth.throttle.address-registration-window", "1h",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "im.redis.namespace", "imtest-throttle-" + UUID.randomUUID());
        }
    }

    private static final String PASSWORD = "correct horse battery";
    private static final String WRONG = "wrong password!";
    private static final AtomicInteger NEXT = new AtomicInteger();

    @Test
    void sixthWrongPasswordIs429_andSoIsTheRightOne_untilTheWindowEnds() {
        String address = freshAddress();
        String username = freshUsername();
        register(address, username).statusCode(201);
        for (int i = 0; i < 5; i++) {
            login(address, username, WRONG).statusCode(401);
        }

        long retryAfter = Long.parseLong(login(address, username, WRONG).statusCode(429)
                .contentType("application/problem+json")
                .body("status", equalTo(429)).body("code", equalTo("RATE_LIMITED"))
                .extract().header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 6, "Retry-After " + retryAfter);
        login(address, username, PASSWORD).statusCode(429).body("code", equalTo("RATE_LIMITED"));
        // From another address too: the account is what is locked.
        login(freshAddress(), username, PASSWORD).statusCode(429);

        // Once the window ends the right password is let in again (each try meanwhile is refused).
        await().atMost(Duration.ofSeconds(retryAfter + 10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    int status = login(address, username, PASSWORD).extract().statusCode();
                    assertTrue(status == 200 || status == 429, "status " + status);
                    return status == 200;
                });
    }

    @Test
    void aSuccessfulLoginClearsTheAccountsCount() {
        String address = freshAddress();
        String username = freshUsername();
        register(address, username).statusCode(201);
        for (int i = 0; i < 4; i++) {
            login(address, username, WRONG).statusCode(401);
        }
        login(address, username, PASSWORD).statusCode(200);

        for (int i = 0; i < 5; i++) {
            login(address, username, WRONG).statusCode(401);
        }
        login(address, username, WRONG).statusCode(429);
    }

    @Test
    void anotherSpellingOfTheUsernameCountsForTheSameAccount() {
        String address = freshAddress();
        String username = freshUsername();
        register(address, username).statusCode(201);
        String upper = username.toUpperCase();
        for (int i = 0; i < 5; i++) {
            login(address, i % 2 == 0 ? upper : username, WRONG).statusCode(401);
        }
        login(address, username, PASSWORD).statusCode(429);
    }

    @Test
    void anUnknownUsernameIsRefusedLikeAKnownOne() {
        String address = freshAddress();
        String nobody = "nobody-" + freshUsername();
        for (int i = 0; i < 5; i++) {
            login(address, nobody, WRONG).statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        }
        login(address, nobody, WRONG).statusCode(429).body("code", equalTo("RATE_LIMITED"));
    }

    @Test
    void theThirtyFirstLoginFromOneAddressWithinTheMinuteIs429() {
        String address = freshAddress();
        // Another account each time: the account limit never comes into it.
        for (int i = 0; i < 30; i++) {
            login(address, "nobody-" + freshUsername(), WRONG).statusCode(401);
        }

        long retryAfter = Long.parseLong(login(address, "nobody-" + freshUsername(), WRONG).statusCode(429)
                .contentType("application/problem+json").body("code", equalTo("RATE_LIMITED"))
                .extract().header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        login(freshAddress(), "nobody-" + freshUsername(), WRONG).statusCode(401);
    }

    @Test
    void theEleventhRegistrationFromOneAddressIs429() {
        String address = freshAddress();
        for (int i = 0; i < 10; i++) {
            register(address, freshUsername()).statusCode(201);
        }

        long retryAfter = Long.parseLong(register(address, freshUsername()).statusCode(429)
                .contentType("application/problem+json").body("code", equalTo("RATE_LIMITED"))
                .extract().header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3600, "Retry-After " + retryAfter);
        register(freshAddress(), freshUsername()).statusCode(201);
    }

    @Test
    void refreshIsNotThrottled() {
        String address = freshAddress();
        for (int i = 0; i < 40; i++) {
            given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                    .body(Map.of("refreshToken", "not-a-token")).post("/auth/refresh").then().statusCode(401);
        }
    }

    private static String freshAddress() {
        int n = NEXT.incrementAndGet();
        return "198.51." + (100 + n / 250) + "." + (n % 250 + 1);
    }

    private static String freshUsername() {
        return "throttled-" + NEXT.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    private static ValidatableResponse register(String address, String username) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", PASSWORD)).post("/auth/register").then();
    }

    private static ValidatableResponse login(String address, String username, String password) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/auth/login").then();
    }
}
