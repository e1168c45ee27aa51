package im.user.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Quarkus security's refusals are problem bodies like every other refusal, with their status and,
 * for 401, the {@code WWW-Authenticate} challenge (im.common.problem.SecurityProblems and
 * AuthenticationFailureResponses).
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class SecurityRefusalsTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void noToken_is401Unauthenticated_withTheBearerChallenge() {
        unauthenticated(given().get("/users/me").then());
        unauthenticated(given().get("/friends").then());
    }

    @Test
    void aTokenThatFailsAuthentication_is401Unauthenticated_withTheBearerChallenge() {
        unauthenticated(given().auth().oauth2("garbage").get("/users/me").then());
        unauthenticated(given().auth().oauth2(TestTokens.issueWithForeignKey(1, "x")).get("/users/me").then());
        unauthenticated(given().auth().oauth2(TestTokens.expired(1, "x")).get("/groups").then());
    }

    @Test
    void aValidTokenWithoutThePermission_is403Forbidden() {
        String noPermissions = TestTokens.issueGranting(4242, "stripped", Set.of(), Set.of());
        forbidden(given().auth().oauth2(noPermissions).get("/users/me").then());
        forbidden(given().auth().oauth2(noPermissions).get("/friends").then());
        forbidden(given().auth().oauth2(noPermissions).get("/groups").then());
    }

    private static void unauthenticated(ValidatableResponse response) {
        response.statusCode(401).contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", equalTo("Bearer"))
                .body("status", equalTo(401))
                .body("code", equalTo("UNAUTHENTICATED"))
                .body("title", equalTo("Not authenticated"))
                .body("detail", equalTo("this call needs a valid access token"));
    }

    private static void forbidden(ValidatableResponse response) {
        response.statusCode(403).contentType(PROBLEM_JSON)
                .body("status", equalTo(403))
                .body("code", equalTo("FORBIDDEN"))
                .body("detail", equalTo("the access token does not allow this call"))
                .body("detail", not(containsString("permission")));
    }
}
