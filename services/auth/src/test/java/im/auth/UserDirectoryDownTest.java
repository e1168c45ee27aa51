package im.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Auth with the user directory unreachable (its client points at a port nobody listens on). */
@QuarkusTest
@TestProfile(UserDirectoryDownTest.DirectoryDown.class)
class UserDirectoryDownTest {

    public static class DirectoryDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.grpc.clients.user.test-port", "1", "im.auth.backend.call-timeout", "PT1S");
        }
    }

    @Inject
    EntityManager entityManager;

    @Test
    void registrationAnswers503ButKeepsTheAccount() {
        Map<String, String> body = Map.of("username", "stranded", "password", "correct horse battery");
        given().contentType(ContentType.JSON).body(body).post("/auth/register").then().statusCode(503)
                .contentType("application/problem+json").body("code", equalTo("UNAVAILABLE"));

        long accounts = QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("SELECT COUNT(*) FROM account WHERE username = 'stranded'").getSingleResult())
                .longValue());
        assertEquals(1, accounts);
        given().contentType(ContentType.JSON).body(body).post("/auth/register").then().statusCode(409);
        // Login must create the missing profile before handing out tokens; it cannot, so 503.
        given().contentType(ContentType.JSON).body(body).post("/auth/login").then().statusCode(503);
    }
}
