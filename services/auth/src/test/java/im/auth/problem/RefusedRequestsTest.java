package im.auth.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Requests Quarkus REST refuses before any resource runs are answered as problem bodies with a
 * stable code, like auth's own errors (im.common.problem.RequestProblems).
 */
@QuarkusTest
class RefusedRequestsTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void truncatedLoginBody_is400MalformedBody_sayingWhereItBroke() {
        given().contentType("application/json").body("{\"username\":\"alice\",")
                .post("/auth/login").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("status", equalTo(400))
                .body("code", equalTo("MALFORMED_BODY"))
                .body("detail", startsWith("the request body is not valid JSON: Unexpected end-of-input"))
                .body("detail", containsString("at line 1, column 21"));
    }

    @Test
    void loginFieldOfTheWrongType_is400MalformedBody_namingTheField() {
        given().contentType("application/json").body("{\"username\":[\"alice\"],\"password\":\"correct horse\"}")
                .post("/auth/login").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("code", equalTo("MALFORMED_BODY"))
                .body("detail", startsWith("the request body does not fit this call at 'username': "))
                .body("detail", not(containsString("im.auth")));
    }

    @Test
    void largeGarbageBody_getsAShortDetail_withoutEchoOrStackTrace() {
        given().contentType("application/json").body("nonsense".repeat(10_000))
                .post("/auth/register").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("code", equalTo("MALFORMED_BODY"))
                .body("detail.length()", lessThanOrEqualTo(300))
                .body("detail", not(containsString("Exception")))
                .body("detail", not(containsString("\tat ")));
    }

    @Test
    void loginAsPlainText_is415Problem() {
        given().contentType("text/plain").body("alice:secret")
                .post("/auth/login").then().statusCode(415).contentType(PROBLEM_JSON)
                .body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"))
                .body("detail", containsString("'text/plain"));
    }

    @Test
    void wrongMethod_is405Problem() {
        given().get("/auth/login").then().statusCode(405).contentType(PROBLEM_JSON)
                .body("code", equalTo("METHOD_NOT_ALLOWED"))
                .body("detail", equalTo("GET is not allowed on /auth/login"));
    }

    @Test
    void unknownPaths_are404Problems() {
        given().get("/auth/no-such-call").then().statusCode(404).contentType(PROBLEM_JSON)
                .body("code", equalTo("NOT_FOUND"))
                .body("detail", equalTo("no call answers GET /auth/no-such-call"));
        given().contentType("application/json").body("{}")
                .post("/no-such-resource").then().statusCode(404).contentType(PROBLEM_JSON)
                .body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void unacceptableAccept_is406Problem() {
        given().accept("text/xml").get("/auth/jwks").then().statusCode(406).contentType(PROBLEM_JSON)
                .body("code", equalTo("NOT_ACCEPTABLE"));
    }

    /** REST now answers unknown paths itself; the routes beside it still answer. */
    @Test
    void healthAndMetrics_stillAnswerBesideRest() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }
}
