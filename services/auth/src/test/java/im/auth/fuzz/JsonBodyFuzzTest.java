package im.auth.fuzz;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.testing.JsonMutator;
import im.common.testing.ProblemBodies;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mutated JSON bodies posted to the auth endpoints and to the user service's friend requests (it
 * runs in this test app): every one is answered below 500, and every 4xx with a problem body that
 * has a code (bodies Jackson cannot read included: {@code MALFORMED_BODY}).
 * 1,600 bodies in CI; {@code -Dim.fuzz.rest-inputs=N} (per endpoint) and {@code -Dim.fuzz.seed=S}
 * for a long run. The seed is printed.
 */
@QuarkusTest
class JsonBodyFuzzTest {

    private static final long DEFAULT_SEED = 0x1F_2026L;

    private record Endpoint(String path, String validBody, List<String> keys) {
    }

    @Test
    void mutatedJsonBodies_areNeverAnswered5xx_andEvery4xxIsAProblemWithACode() {
        String username = "fuzz" + System.nanoTime() % 1_000_000_000L;
        given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"correct horse battery\",\"displayName\":\"F\"}")
                .post("/auth/register").then().statusCode(201);
        Response login = given().contentType("application/json")
                .body("{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}")
                .post("/auth/login");
        String accessToken = login.jsonPath().getString("accessToken");
        String refreshToken = login.jsonPath().getString("refreshToken");

        List<Endpoint> endpoints = List.of(
                new Endpoint("/auth/register", "{\"username\":\"fuzzy_1\",\"password\":\"correct horse battery\","
                        + "\"displayName\":\"Fuzzy\"}", List.of("username", "password", "displayName")),
                new Endpoint("/auth/login", "{\"username\":\"" + username + "\",\"password\":\"wrong password!\"}",
                        List.of("username", "password")),
                new Endpoint("/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}", List.of("refreshToken")),
                new Endpoint("/auth/logout", "{\"refreshToken\":\"not-a-token\"}", List.of("refreshToken")),
                new Endpoint("/friends/requests", "{\"toUserId\":1,\"toUsername\":\"nobody\"}",
                        List.of("toUserId", "toUsername")));

        long seed = Long.getLong("im.fuzz.seed", DEFAULT_SEED);
        int perEndpoint = Integer.getInteger("im.fuzz.rest-inputs", 320);
        System.out.printf("fuzz rest: seed %d, %d bodies per endpoint (replay: -Dim.fuzz.seed=%d -Dim.fuzz.rest-inputs=%d)%n",
                seed, perEndpoint, seed, perEndpoint);
        JsonMutator mutator = new JsonMutator(seed);
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        List<String> broken = new ArrayList<>();
        List<String> bare = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < perEndpoint; i++) {
            for (Endpoint endpoint : endpoints) {
                byte[] body = mutator.mutate(endpoint.validBody(), endpoint.keys());
                var request = given().contentType("application/json").body(body);
                if (endpoint.path().startsWith("/friends")) {
                    request = request.auth().oauth2(accessToken);
                }
                Response response = request.post(endpoint.path());
                int status = response.statusCode();
                statuses.merge(status, 1, Integer::sum);
                if (status >= 500) {
                    note(broken, endpoint, response, body);
                } else if (status >= 400 && !ProblemBodies.isProblemWithCode(response.contentType(), response.asString())) {
                    note(bare, endpoint, response, body);
                }
            }
        }
        System.out.printf("fuzz rest: seed %d, bodies %d, statuses %s, 4xx without a problem body %d, 5xx %d, %d ms%n",
                seed, perEndpoint * endpoints.size(), statuses, bare.size(), broken.size(),
                (System.nanoTime() - started) / 1_000_000);
        assertTrue(broken.isEmpty(), () -> "seed " + seed + ", 5xx:\n" + first20(broken));
        assertTrue(bare.isEmpty(), () -> "seed " + seed + ", 4xx without a problem body:\n" + first20(bare));
    }

    /** Found by the run above: Jackson failed on the record's repeated creator property, and Quarkus answered 500. */
    @Test
    void bodyWithAKeyGivenTwiceIs400() {
        given().contentType("application/json").body("{\"refreshToken\":1,\"refreshToken\":\"x\"}")
                .post("/auth/refresh").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("MALFORMED_BODY"));
        given().contentType("application/json").body("{\"username\":\"a\",\"username\":\"b\",\"password\":\"p\"}")
                .post("/auth/login").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("MALFORMED_BODY"));
    }

    private static void note(List<String> offenders, Endpoint endpoint, Response response, byte[] body) {
        offenders.add(String.format("%s %d %s: %s <- %s", endpoint.path(), response.statusCode(), response.contentType(),
                abbreviate(response.asString()), HexFormat.of().formatHex(body, 0, Math.min(body.length, 200))));
    }

    private static String first20(List<String> offenders) {
        String shown = String.join("\n", offenders.subList(0, Math.min(20, offenders.size())));
        return offenders.size() <= 20 ? shown : shown + "\n... and " + (offenders.size() - 20) + " more";
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
