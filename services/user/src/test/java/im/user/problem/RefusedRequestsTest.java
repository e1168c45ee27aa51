package im.user.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Requests Quarkus REST refuses before any resource runs are answered as problem bodies with a
 * stable code, like the user service's own errors (im.common.problem.RequestProblems).
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class RefusedRequestsTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    private final String token = TestTokens.issue(4343, "refused");

    @Test
    void truncatedFriendRequest_is400MalformedBody_sayingWhereItBroke() {
        given().auth().oauth2(token).contentType("application/json").body("{\"toUserId\":12")
                .post("/friends/requests").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("status", equalTo(400))
                .body("code", equalTo("MALFORMED_BODY"))
                .body("detail", startsWith("the request body is not valid JSON: Unexpected end-of-input"))
                .body("detail", containsString("at line 1, column "));
    }

    @Test
    void friendRequestWithAStringForTheUserId_is400MalformedBody_namingTheField() {
        given().auth().oauth2(token).contentType("application/json").body("{\"toUserId\":\"bob\"}")
                .post("/friends/requests").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("code", equalTo("MALFORMED_BODY"))
                .body("detail", startsWith("the request body does not fit this call at 'toUserId': "))
                .body("detail", containsString("from String \"bob\""));
    }

    @Test
    void groupMembersNotAList_is400MalformedBody() {
        given().auth().oauth2(token).contentType("application/json").body("{\"userIds\":{\"a\":1}}")
                .post("/groups/1/members").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("code", equalTo("MALFORMED_BODY"))
                .body("detail", containsString("'userIds'"));
    }

    @Test
    void friendRequestAsForm_is415Problem() {
        given().auth().oauth2(token).contentType("application/x-www-form-urlencoded").body("toUserId=1")
                .post("/friends/requests").then().statusCode(415).contentType(PROBLEM_JSON)
                .body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
    }

    @Test
    void wrongMethodAndUnknownPath_areProblems() {
        given().auth().oauth2(token).put("/friends/requests/1/accept").then().statusCode(405).contentType(PROBLEM_JSON)
                .body("code", equalTo("METHOD_NOT_ALLOWED"))
                .body("detail", equalTo("PUT is not allowed on /friends/requests/1/accept"));
        given().auth().oauth2(token).get("/friends/no/such/call").then().statusCode(404).contentType(PROBLEM_JSON)
                .body("code", equalTo("NOT_FOUND"));
    }
}
