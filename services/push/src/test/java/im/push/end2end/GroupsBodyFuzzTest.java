package im.push.end2end;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.testing.JsonMutator;
import im.common.testing.ProblemBodies;
import im.common.testing.TestTokensResource;
import im.protocol.user.UserDirectoryGrpc;
import im.push.end2end.TestUsers.User;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Mutated JSON bodies posted to the user service's {@code /groups} calls and friend requests. They
 * run here because this test app also holds the router the group calls are forwarded to (auth's
 * test app, which fuzzes the auth bodies, has none). Never a 5xx, and every 4xx a problem body with
 * a code (bodies Jackson cannot read included: {@code MALFORMED_BODY}). 100 bodies per call in CI;
 * {@code -Dim.fuzz.rest-inputs=N} and {@code -Dim.fuzz.seed=S} for a long run.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class GroupsBodyFuzzTest {

    private static final long DEFAULT_SEED = 0x1F_2026L;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private record Call(String method, String path, String validBody, List<String> keys) {
    }

    @Test
    void mutatedGroupAndFriendRequestBodies_areNeverAnswered5xx_andEvery4xxIsAProblemWithACode() {
        User owner = TestUsers.create(users, "fuzz-owner");
        User member = TestUsers.create(users, "fuzz-member");
        long groupId = given().auth().oauth2(owner.token()).contentType("application/json")
                .body("{\"name\":\"fuzzed\",\"memberIds\":[" + member.id() + "]}")
                .post("/groups").then().statusCode(201).extract().jsonPath().getLong("groupId");
        String group = "/groups/" + groupId;
        List<Call> calls = List.of(
                new Call("POST", "/groups", "{\"name\":\"g\",\"memberIds\":[" + member.id() + "],\"joinPolicy\":\"OPEN\"}",
                        List.of("name", "memberIds", "joinPolicy")),
                new Call("POST", group + "/members", "{\"userIds\":[" + member.id() + "]}", List.of("userIds")),
                new Call("PUT", group + "/name", "{\"name\":\"renamed\"}", List.of("name")),
                new Call("PUT", group + "/muted", "{\"muted\":false}", List.of("muted")),
                new Call("PUT", group + "/members/" + member.id() + "/role", "{\"role\":\"MEMBER\"}", List.of("role")),
                new Call("PUT", group + "/members/" + member.id() + "/muted", "{\"muted\":false}", List.of("muted")),
                new Call("PUT", group + "/owner", "{\"userId\":" + owner.id() + "}", List.of("userId")),
                new Call("POST", "/friends/requests", "{\"toUserId\":" + member.id() + ",\"toUsername\":\"x\"}",
                        List.of("toUserId", "toUsername")));

        long seed = Long.getLong("im.fuzz.seed", DEFAULT_SEED);
        int perCall = Integer.getInteger("im.fuzz.rest-inputs", 100);
        System.out.printf("fuzz groups rest: seed %d, %d bodies per call (replay: -Dim.fuzz.seed=%d -Dim.fuzz.rest-inputs=%d)%n",
                seed, perCall, seed, perCall);
        JsonMutator mutator = new JsonMutator(seed);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> broken = new ArrayList<>();
        List<String> bare = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < perCall; i++) {
            for (Call call : calls) {
                byte[] body = mutator.mutate(call.validBody(), call.keys());
                Response response = given().auth().oauth2(owner.token()).contentType("application/json").body(body)
                        .request(call.method(), call.path());
                int status = response.statusCode();
                statuses.merge(status, 1, Integer::sum);
                List<String> offenders = null;
                if (status >= 500) {
                    offenders = broken;
                } else if (status >= 400 && !ProblemBodies.isProblemWithCode(response.contentType(), response.asString())) {
                    offenders = bare;
                }
                if (offenders != null && offenders.size() < 20) {
                    offenders.add(String.format("%s %s %d %s: %s <- %s", call.method(), call.path(), status,
                            response.contentType(), response.asString(),
                            HexFormat.of().formatHex(body, 0, Math.min(body.length, 200))));
                }
            }
        }
        System.out.printf("fuzz groups rest: seed %d, bodies %d, statuses %s, 5xx %d, %d ms%n", seed,
                perCall * calls.size(), statuses, broken.size(), (System.nanoTime() - started) / 1_000_000);
        assertTrue(broken.isEmpty(), () -> "seed " + seed + ", 5xx (first 20):\n" + String.join("\n", broken));
        assertTrue(bare.isEmpty(), () -> "seed " + seed + ", 4xx without a problem body (first 20):\n"
                + String.join("\n", bare));
    }
}
