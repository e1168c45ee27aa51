package im.auth.oidc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Gitee's OAuth2 endpoints and the two v5 API calls the login uses, on a local port: the outside
 * provider a test cannot reach. Its authorize endpoint plays the user at Gitee's consent page:
 * it redirects at once, granting (or refusing) as the test scripted. The token endpoint checks
 * what Gitee checks (client, redirect URI) and the PKCE verifier.
 */
final class MockGitee implements AutoCloseable {

    static final String CLIENT_ID = "test-client";
    static final String CLIENT_SECRET = "test-secret";

    /** A Gitee user: its numeric id, login, name and email addresses with their state. */
    record User(long id, String login, String name, String email, boolean emailConfirmed) {
    }

    private record Grant(User user, String challenge, String redirectUri) {
    }

    private final HttpServer server;
    private final Queue<Object> script = new ArrayDeque<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, User> accessTokens = new ConcurrentHashMap<>();
    /** Every access token this mock issued: none may show up in an answer of the auth service. */
    final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private volatile boolean tokenEndpointFails;

    private MockGitee(HttpServer server) {
        this.server = server;
    }

    static MockGitee start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        MockGitee gitee = new MockGitee(server);
        server.createContext("/oauth/authorize", gitee::authorize);
        server.createContext("/oauth/token", gitee::token);
        server.createContext("/api/v5/user", gitee::user);
        server.createContext("/api/v5/emails", gitee::emails);
        server.start();
        return gitee;
    }

    /** The next visit to the consent page logs this user in and grants access. */
    synchronized void nextGrants(User user) {
        script.add(user);
    }

    /** The next visit to the consent page refuses (error=access_denied). */
    synchronized void nextDenies() {
        script.add("deny");
    }

    void tokenEndpointFails(boolean fails) {
        this.tokenEndpointFails = fails;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        Object next;
        synchronized (this) {
            next = script.poll();
        }
        String redirect = query.get("redirect_uri");
        String state = URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        if (!CLIENT_ID.equals(query.get("client_id")) || next == null || redirect == null) {
            answer(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String location;
        if (next instanceof User user) {
            if (!"S256".equals(query.get("code_challenge_method"))) {
                answer(exchange, 400, "{\"error\":\"invalid_request\"}");
                return;
            }
            String code = UUID.randomUUID().toString();
            codes.put(code, new Grant(user, query.get("code_challenge"), redirect));
            location = redirect + "?code=" + code + "&state=" + state;
        } else {
            location = redirect + "?error=access_denied&error_description=user+denied&state=" + state;
        }
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (tokenEndpointFails) {
            answer(exchange, 500, "{\"error\":\"server_error\"}");
            return;
        }
        Grant grant = codes.remove(String.valueOf(form.get("code")));
        boolean valid = grant != null && "authorization_code".equals(form.get("grant_type"))
                && CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret"))
                && grant.redirectUri().equals(form.get("redirect_uri"))
                && grant.challenge().equals(s256(String.valueOf(form.get("code_verifier"))));
        if (!valid) {
            answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String token = "gitee-at-" + UUID.randomUUID();
        accessTokens.put(token, grant.user());
        issuedTokens.add(token);
        answer(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":86400,"
                + "\"refresh_token\":\"gitee-rt-" + UUID.randomUUID() + "\",\"scope\":\"user_info emails\"}");
    }

    private void user(HttpExchange exchange) throws IOException {
        User user = caller(exchange);
        if (user == null) {
            answer(exchange, 401, "{\"message\":\"401 Unauthorized: Access token does not exist\"}");
            return;
        }
        // Gitee's email here is the public one, often null; verification comes from /emails.
        answer(exchange, 200, "{\"id\":" + user.id() + ",\"login\":\"" + user.login() + "\",\"name\":\""
                + user.name() + "\",\"email\":null,\"avatar_url\":\"https://gitee.com/assets/no_portrait.png\"}");
    }

    private void emails(HttpExchange exchange) throws IOException {
        User user = caller(exchange);
        if (user == null) {
            answer(exchange, 401, "{\"message\":\"401 Unauthorized: Access token does not exist\"}");
            return;
        }
        answer(exchange, 200, "[{\"email\":\"" + user.email() + "\",\"state\":\""
                + (user.emailConfirmed() ? "confirmed" : "unconfirmed") + "\",\"scope\":[\"primary\"]}]");
    }

    private User caller(HttpExchange exchange) {
        String token = parse(exchange.getRequestURI().getRawQuery()).get("access_token");
        return token == null ? null : accessTokens.get(token);
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static Map<String, String> parse(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }

    static Map<String, String> query(String url) {
        return parse(URI.create(url).getRawQuery());
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
