package im.auth.throttle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Without proxy address forwarding (the default) a client cannot name its own address. */
@QuarkusTest
@TestProfile(ForwardedForNotTrustedTest.OneRegistration.class)
class ForwardedForNotTrustedTest {

    public static class OneRegistration implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "im.auth.throttle.address-registrations", "1",
                    "im.redis.namespace", "imtest-throttle-" + UUID.randomUUID());
        }
    }

    @Test
    void xForwardedForIsIgnored_theConnectionsAddressCounts() {
        register("198.51.100.1", "forwarded-one").statusCode(201);

        register("198.51.100.2", "forwarded-two").statusCode(429).body("code", equalTo("RATE_LIMITED"));
    }

    private static io.restassured.response.ValidatableResponse register(String claimedAddress, String username) {
        return given().header("X-Forwarded-For", claimedAddress).contentType(ContentType.JSON)
                .body(Map.of("username", username + "-" + Long.toString(System.nanoTime() % 1_000_000, 36),
                        "password", "correct horse battery"))
                .post("/auth/register").then();
    }
}
