package im.auth.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Quarkus security's refusals are problem bodies like auth's own errors, with their status and,
 * for 401, the {@code WWW-Authenticate} challenge (im.common.problem.SecurityProblems and
 * AuthenticationFailureResponses).
 */
@QuarkusTest
class SecurityRefusalsTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PASSWORD = "correct horse battery";

    @Test
    void noToken_is401Unauthenticated_withTheBearerChallenge() {
        unauthenticated(given().get("/auth/admin/users").then());
        unauthenticated(given().post("/auth/logout-all").then());
    }

    @Test
    void aGarbageToken_is401Unauthenticated_withTheBearerChallenge() {
        unauthenticated(given().auth().oauth2("garbage").get("/auth/admin/users").then());
        unauthenticated(given().auth().oauth2("a.b.c").post("/auth/logout-all").then());
    }

    @Test
    void aUsersTokenOnAnAdminCall_is403Forbidden() {
        String token = userToken();
        forbidden(given().auth().oauth2(token).get("/auth/admin/users").then());
        forbidden(given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("roles", new String[] {"admin"}))
                .put("/auth/admin/users/1/roles").then());
        forbidden(given().auth().oauth2(token).post("/auth/admin/users/1/ban").then());
    }

    @Test
    void theEndpointsOwn401_staysItsOwn_withoutAChallenge() {
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", "x".repeat(43))).post("/auth/refresh").then()
                .statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("UNAUTHENTICATED"))
                .header("WWW-Authenticate", equalTo(null));
    }

    private static String userToken() {
        String username = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", PASSWORD))
                .post("/auth/register").then().statusCode(201);
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", PASSWORD))
                .post("/auth/login").then().statusCode(200).extract().path("accessToken");
    }

    private static void unauthenticated(ValidatableResponse response) {
        response.statusCode(401).contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", equalTo("Bearer"))
                .body("status", equalTo(401))
                .body("code", equalTo("UNAUTHENTICATED"))
                .body("detail", equalTo("this call needs a valid access token"));
    }

    private static void forbidden(ValidatableResponse response) {
        response.statusCode(403).contentType(PROBLEM_JSON)
                .body("status", equalTo(403))
                .body("code", equalTo("FORBIDDEN"))
                .body("detail", equalTo("the access token does not allow this call"));
    }
}
