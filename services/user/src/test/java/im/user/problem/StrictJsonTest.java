package im.user.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Found by push's GroupsBodyFuzzTest: a key given twice made Jackson fail on a record and Quarkus answer 500. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class StrictJsonTest {

    @Test
    void bodyWithAKeyGivenTwiceIs400() {
        String token = TestTokens.issue(4242, "twice");
        given().auth().oauth2(token).contentType("application/json").body("{\"muted\":\"\",\"muted\":false}")
                .put("/groups/1/muted").then().statusCode(400).body("code", equalTo("MALFORMED_BODY"));
        given().auth().oauth2(token).contentType("application/json").body("{\"toUsername\":\"x\",\"toUsername\":\"y\"}")
                .post("/friends/requests").then().statusCode(400).body("code", equalTo("MALFORMED_BODY"));
    }
}
