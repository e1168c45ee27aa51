package im.user.profile;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.testing.TestTokensResource;
import im.protocol.user.UserDirectoryGrpc;
import im.user.TestUsers;
import im.user.TestUsers.TestUser;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code GET /users/search}: users by username prefix, over the real REST API and MariaDB. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class UserSearchRestTest {

    @GrpcClient("directory-under-test")
    UserDirectoryGrpc.UserDirectoryBlockingStub directory;

    @Inject
    AgroalDataSource db;

    @Test
    void usersWhoseNameStartsWithThePrefixComeInUsernameOrder_asPublicProfiles() {
        String prefix = uniquePrefix();
        TestUser carl = TestUsers.named(directory, prefix + "carl");
        TestUser anna = TestUsers.named(directory, prefix + "anna");
        TestUser bert = TestUsers.named(directory, prefix + "bert");
        TestUsers.named(directory, "x" + prefix + "anna");

        given().auth().oauth2(anna.token()).queryParam("prefix", prefix).get("/users/search").then().statusCode(200)
                .body("username", contains(anna.username(), bert.username(), carl.username()))
                .body("displayName", contains("User " + anna.id(), "User " + bert.id(), "User " + carl.id()));
        given().auth().oauth2(anna.token()).queryParam("prefix", prefix + "b").get("/users/search").then()
                .statusCode(200).body("username", contains(bert.username()));
    }

    @Test
    void anUnderscoreInThePrefixMatchesItselfOnly() {
        String prefix = uniquePrefix();
        TestUser underscored = TestUsers.named(directory, prefix + "_x");
        TestUsers.named(directory, prefix + "ax");

        given().auth().oauth2(underscored.token()).queryParam("prefix", prefix + "_").get("/users/search").then()
                .statusCode(200).body("username", contains(underscored.username()));
    }

    @Test
    void theLimitIsTwentyByDefault_andCutToFifty() {
        String prefix = uniquePrefix();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 52; i++) {
            names.add(TestUsers.named(directory, prefix + String.format("%02d", i)).username());
        }
        String token = TestUsers.create(directory).token();

        given().auth().oauth2(token).queryParam("prefix", prefix).get("/users/search").then().statusCode(200)
                .body("$", hasSize(20)).body("username[0]", equalTo(names.get(0)));
        given().auth().oauth2(token).queryParam("prefix", prefix).queryParam("limit", 5).get("/users/search").then()
                .body("username", contains(names.subList(0, 5).toArray()));
        given().auth().oauth2(token).queryParam("prefix", prefix).queryParam("limit", 500).get("/users/search").then()
                .statusCode(200).body("username", contains(names.subList(0, 50).toArray()));
    }

    @Test
    void aPrefixShorterThanTwo_notAUsernameStart_orALimitBelowOneIs400() {
        String token = TestUsers.create(directory).token();
        given().auth().oauth2(token).queryParam("prefix", "a").get("/users/search").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("INVALID_ARGUMENT"));
        given().auth().oauth2(token).get("/users/search").then().statusCode(400);
        given().auth().oauth2(token).queryParam("prefix", "a%").get("/users/search").then().statusCode(400);
        given().auth().oauth2(token).queryParam("prefix", "AB").get("/users/search").then().statusCode(400);
        given().auth().oauth2(token).queryParam("prefix", "x".repeat(33)).get("/users/search").then().statusCode(400);
        given().auth().oauth2(token).queryParam("prefix", "ab").queryParam("limit", 0).get("/users/search").then()
                .statusCode(400);
    }

    @Test
    void theSearchReadsTheUsernameIndexAsARange_notTheWholeTable() throws Exception {
        try (Connection connection = db.getConnection();
                PreparedStatement explain = connection.prepareStatement("EXPLAIN " + UserProfileRepository.BY_PREFIX)) {
            explain.setString(1, UserProfileRepository.likePrefix("us"));
            explain.setInt(2, 20);
            try (ResultSet plan = explain.executeQuery()) {
                plan.next();
                String row = "type=" + plan.getString("type") + " key=" + plan.getString("key")
                        + " extra=" + plan.getString("Extra");
                assertEquals("range", plan.getString("type"), row);
                assertEquals("uk_user_profile_username", plan.getString("key"), row);
            }
        }
    }

    /** Letters only, so that every database collation orders the names as Java does. */
    private static String uniquePrefix() {
        StringBuilder prefix = new StringBuilder("q");
        for (char c : UUID.randomUUID().toString().replace("-", "").substring(0, 8).toCharArray()) {
            prefix.append((char) ('a' + Character.digit(c, 16)));
        }
        return prefix.toString();
    }
}
