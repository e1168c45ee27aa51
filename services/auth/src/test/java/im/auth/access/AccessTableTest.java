package im.auth.access;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.access.Permissions;
import im.common.problem.RequestProblem;
import im.common.testing.AccessTables;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may call what, for every REST endpoint and gRPC method this app serves (auth, with user and
 * leaf inside, as in the standalone): one table, checked two ways. Every endpoint the app has
 * (JAX-RS annotations of its resource beans, the descriptors of its gRPC services) must have a row,
 * so a new endpoint without a decided rule fails here; and every cell is called for real, over
 * HTTP and gRPC, with a token of that kind of caller.
 *
 * <p>Allowed means the call reached the endpoint: any answer but an authorization refusal (REST: a
 * 401 with a {@code WWW-Authenticate} challenge, a 403 {@code FORBIDDEN}, or either without a
 * problem body; gRPC: UNAUTHENTICATED, or PERMISSION_DENIED naming a permission). A business
 * refusal (400 for the empty body each call sends, 404 for the made-up ids, an unknown refresh
 * token's 401) is allowed.
 * Router's gRPC methods have their table in the router module (router's test app serves them).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTableTest {

    /** Who calls. NO_ROLE: an account whose roles an admin took away (then logged in again). */
    enum Caller { ANONYMOUS, NO_ROLE, USER, ADMIN }

    private static final boolean Y = true;
    private static final boolean N = false;
    /** The admin the test config names in im.auth.roles.admins. */
    private static final String ADMIN_NAME = "table-admin";
    private static final String PASSWORD = "correct horse battery";
    /** An id no account or group has: calls reach their endpoint but change nothing. */
    private static final String NO_SUCH_ID = "987654321987";

    //                                                           anonymous  no role  user  admin
    private static final Map<String, boolean[]> TABLE = table(
            row("POST /auth/register",                                  Y, Y, Y, Y),
            row("POST /auth/login",                                     Y, Y, Y, Y),
            row("POST /auth/refresh",                                   Y, Y, Y, Y),
            row("POST /auth/logout",                                    Y, Y, Y, Y),
            row("POST /auth/logout-all",                                N, Y, Y, Y),
            row("GET /auth/jwks",                                       Y, Y, Y, Y),
            row("POST /auth/oidc/{provider}/start",                     Y, Y, Y, Y),
            row("GET /auth/oidc/{provider}/callback",                   Y, Y, Y, Y),
            row("POST /auth/oidc/poll",                                 Y, Y, Y, Y),
            row("POST /auth/oidc/link",                                 Y, Y, Y, Y),
            row("GET /auth/admin/users",                                N, N, N, Y),
            row("PUT /auth/admin/users/{id}/roles",                     N, N, N, Y),
            row("POST /auth/admin/users/{id}/ban",                      N, N, N, Y),
            row("DELETE /auth/admin/users/{id}/ban",                    N, N, N, Y),
            row("GET /users/me",                                        N, N, Y, Y),
            row("GET /users/{id}",                                      N, N, Y, Y),
            row("GET /users",                                           N, N, Y, Y),
            row("GET /users/search",                                    N, N, Y, Y),
            row("PUT /users/me/profile",                                N, N, Y, Y),
            row("DELETE /users/me/avatar",                              N, N, Y, Y),
            row("POST /friends/requests",                               N, N, Y, Y),
            row("GET /friends/requests",                                N, N, Y, Y),
            row("POST /friends/requests/{id}/accept",                   N, N, Y, Y),
            row("GET /friends",                                         N, N, Y, Y),
            row("POST /friends/requests/{id}/reject",                   N, N, Y, Y),
            row("DELETE /friends/{userId}",                             N, N, Y, Y),
            row("PUT /friends/{userId}/remark",                         N, N, Y, Y),
            row("GET /friends/blocks",                                  N, N, Y, Y),
            row("PUT /friends/blocks/{userId}",                         N, N, Y, Y),
            row("DELETE /friends/blocks/{userId}",                      N, N, Y, Y),
            row("GET /friends/settings",                                N, N, Y, Y),
            row("PUT /friends/settings",                                N, N, Y, Y),
            row("POST /groups",                                         N, N, Y, Y),
            row("GET /groups",                                          N, N, Y, Y),
            row("GET /groups/{groupId}",                                N, N, Y, Y),
            row("GET /groups/{groupId}/members",                        N, N, Y, Y),
            row("POST /groups/{groupId}/members",                       N, N, Y, Y),
            row("DELETE /groups/{groupId}/members/{userId}",            N, N, Y, Y),
            row("POST /groups/{groupId}/join",                          N, N, Y, Y),
            row("GET /groups/{groupId}/requests",                       N, N, Y, Y),
            row("POST /groups/{groupId}/requests/{userId}/approve",     N, N, Y, Y),
            row("DELETE /groups/{groupId}/requests/{userId}",           N, N, Y, Y),
            row("POST /groups/{groupId}/leave",                         N, N, Y, Y),
            row("PUT /groups/{groupId}/members/{userId}/role",          N, N, Y, Y),
            row("PUT /groups/{groupId}/members/{userId}/muted",         N, N, Y, Y),
            row("PUT /groups/{groupId}/muted",                          N, N, Y, Y),
            row("PUT /groups/{groupId}/owner",                          N, N, Y, Y),
            row("PUT /groups/{groupId}/name",                           N, N, Y, Y),
            row("DELETE /groups/{groupId}",                             N, N, Y, Y),
            // Service-to-service: only a service token of the method's callers opens these, never
            // a user's (the tables of services per method: LeafCallersTest, ServiceCallersTest).
            row("grpc im.leaf.v1.Leaf/NextIds",                         N, N, N, N),
            row("grpc im.user.v1.UserDirectory/CreateProfile",          N, N, N, N),
            row("grpc im.user.v1.UserDirectory/GetUser",                N, N, N, N),
            row("grpc im.user.v1.UserDirectory/CheckSend",              N, N, N, N),
            row("grpc im.user.v1.UserDirectory/RecordPresence",         N, N, N, N),
            row("grpc im.user.v1.UserDirectory/VisiblePresence",        N, N, N, N),
            row("grpc im.user.v1.UserDirectory/SetAvatar",              N, N, N, N));

    private final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
    private ManagedChannel channel;

    /** Once per class; before each test because RestAssured learns the test port only then. */
    @BeforeEach
    void signIn() {
        if (channel != null) {
            return;
        }
        channel = ManagedChannelBuilder.forAddress("localhost", 19003).usePlaintext().build();
        tokens.put(Caller.ADMIN, signUp(ADMIN_NAME));
        tokens.put(Caller.USER, signUp("table-user-" + suffix()));
        String stripped = "table-none-" + suffix();
        signUp(stripped);
        long strippedId = userIdOf(stripped);
        given().header("Authorization", "Bearer " + tokens.get(Caller.ADMIN)).contentType(ContentType.JSON)
                .body("{\"roles\":[]}").put("/auth/admin/users/" + strippedId + "/roles")
                .then().statusCode(200);
        tokens.put(Caller.NO_ROLE, login(stripped));
    }

    @AfterAll
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void everyRestEndpointAndGrpcMethodOfTheApp_hasARow() {
        Set<String> served = new TreeSet<>(restEndpoints());
        served.addAll(grpcMethods());
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(TABLE.keySet());
        assertEquals(Set.of(), missing, "endpoints with no row in the access table");
        Set<String> stale = new TreeSet<>(TABLE.keySet());
        stale.removeAll(served);
        assertEquals(Set.of(), stale, "rows naming endpoints this app does not serve");
    }

    @Test
    void everyEndpoint_allowsExactlyTheCallersItsRowAllows() {
        List<String> wrong = new ArrayList<>();
        // logout-all ends every login of its caller, the tokens of this test included: called last.
        List<Map.Entry<String, boolean[]>> rows = new ArrayList<>(TABLE.entrySet());
        rows.sort(Comparator.comparing(row -> row.getKey().endsWith("/logout-all")));
        for (Map.Entry<String, boolean[]> row : rows) {
            for (Caller caller : Caller.values()) {
                boolean expected = row.getValue()[caller.ordinal()];
                Boolean allowed = row.getKey().startsWith("grpc ") ? grpcAllowed(row.getKey(), caller)
                        : restAllowed(row.getKey(), caller);
                if (allowed != expected) {
                    wrong.add(row.getKey() + " as " + caller + ": " + (allowed ? "allowed" : "denied")
                            + ", the table says " + (expected ? "allow" : "deny"));
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void anAccessTokenCarriesItsRolesAndTheirPermissions() {
        assertTrue(claims(tokens.get(Caller.USER)).contains("\"groups\":[\"user\"]"));
        for (String permission : Permissions.ALL) {
            assertEquals(Permissions.EVERYDAY.contains(permission),
                    claims(tokens.get(Caller.USER)).contains("\"" + permission + "\""), permission);
            assertTrue(claims(tokens.get(Caller.ADMIN)).contains("\"" + permission + "\""), permission);
        }
        assertTrue(claims(tokens.get(Caller.NO_ROLE)).contains("\"perms\":[]"));
    }

    // Calls -------------------------------------------------------------------------------------

    private boolean restAllowed(String endpoint, Caller caller) {
        String verb = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1)
                .replace("{provider}", "nobody").replaceAll("\\{[^}]+}", NO_SUCH_ID);
        RequestSpecification request = given();
        if (tokens.containsKey(caller)) {
            request.header("Authorization", "Bearer " + tokens.get(caller));
        }
        if (verb.equals("POST") || verb.equals("PUT") || verb.equals("PATCH")) {
            request.contentType(ContentType.JSON).body("{}");
        }
        Response response = request.request(verb, path);
        int status = response.statusCode();
        String type = response.contentType() == null ? "" : response.contentType();
        if (status != 401 && status != 403) {
            return true;
        }
        if (!type.startsWith("application/problem+json")) {
            return false;
        }
        // The security layer challenges with its 401s (SESSION_REVOKED's included) and answers 403
        // FORBIDDEN; an endpoint's own 401 (a refresh token it does not know) or 403 (a banned
        // account) has no challenge and a code of its own.
        return status == 401 ? response.header("WWW-Authenticate") == null
                : !RequestProblem.FORBIDDEN.name().equals(response.jsonPath().getString("code"));
    }

    private boolean grpcAllowed(String endpoint, Caller caller) {
        String fullName = endpoint.substring("grpc ".length());
        @SuppressWarnings("unchecked")
        MethodDescriptor<Object, Object> method = (MethodDescriptor<Object, Object>) served().get(fullName);
        Object request = ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
        Metadata headers = new Metadata();
        if (tokens.containsKey(caller)) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + tokens.get(caller));
        }
        try {
            Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
            ClientCalls.blockingUnaryCall(withHeaders.newCall(method,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)), request);
            return true;
        } catch (StatusRuntimeException e) {
            return !refusedAccess(e.getStatus());
        }
    }

    /** An authorization refusal, as opposed to an answer of the method itself. */
    static boolean refusedAccess(Status status) {
        return AccessTables.refusedAccess(status.getCode(), status.getDescription());
    }

    // What the app serves -----------------------------------------------------------------------

    private static Set<String> restEndpoints() {
        Set<String> endpoints = new TreeSet<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String verb = verbOf(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                endpoints.add(verb + " " + join(root.value(), sub == null ? "" : sub.value()));
            }
        }
        return endpoints;
    }

    private static String verbOf(Method method) {
        List<Class<? extends Annotation>> verbs = List.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class);
        for (Class<? extends Annotation> verb : verbs) {
            if (method.isAnnotationPresent(verb)) {
                return verb.getSimpleName();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Set<String> grpcMethods() {
        Set<String> methods = new TreeSet<>();
        served().keySet().forEach(name -> methods.add("grpc " + name));
        return methods;
    }

    private static Map<String, MethodDescriptor<?, ?>> served() {
        return AccessTables.servedGrpcMethods();
    }

    // Accounts ----------------------------------------------------------------------------------

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers (or, when an earlier test of this boot did, reuses) the account and logs in. */
    private static String signUp(String username) {
        int status = given().contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/auth/register").statusCode();
        assertTrue(status == 201 || status == 409, "registration of " + username + " answered " + status);
        return login(username);
    }

    private static String login(String username) {
        return given().contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/auth/login").then().statusCode(200).extract().path("accessToken");
    }

    private long userIdOf(String username) {
        return given().header("Authorization", "Bearer " + tokens.get(Caller.USER)).queryParam("username", username)
                .get("/users").then().statusCode(200).extract().jsonPath().getLong("userId");
    }

    private static String claims(String token) {
        return new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Map.Entry<String, boolean[]> row(String endpoint, boolean... allowed) {
        return AccessTables.row(Caller.values().length, endpoint, allowed);
    }

    @SafeVarargs
    private static Map<String, boolean[]> table(Map.Entry<String, boolean[]>... rows) {
        return AccessTables.table(rows);
    }
}
