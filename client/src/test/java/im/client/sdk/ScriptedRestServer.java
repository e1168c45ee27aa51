package im.client.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The REST side of auth and user for SDK and CLI tests, over a real socket: it answers each
 * request the test scripted (by method, path and query) and queues what it received. An
 * unscripted request is answered 500 with a problem body naming it, so the test fails visibly.
 */
public final class ScriptedRestServer implements AutoCloseable {

    /** One request as the server saw it. */
    public record Request(String method, String target, String authorization, String contentType, String body) {
    }

    private record Answer(int status, String body, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    public ScriptedRestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:port} */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Answers {@code method target} (path with its query, e.g. {@code GET /groups/7/members?after=0&limit=100})
     * with this status and JSON body; a status of 400 and above is sent as problem+json.
     */
    public void answer(String method, String target, int status, String json) {
        answer(method, target, status, json, Map.of());
    }

    /** The same with these response headers besides (e.g. {@code Retry-After}). */
    public void answer(String method, String target, int status, String json, Map<String, String> headers) {
        answers.put(method + " " + target, new Answer(status, json, Map.copyOf(headers)));
    }

    /** The next request received; fails the test when none comes. */
    public Request next() throws InterruptedException {
        Request r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request came");
        }
        return r;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String method = exchange.getRequestMethod();
            received.add(new Request(method, target, exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Answer answer = answers.getOrDefault(method + " " + target, new Answer(500,
                    "{\"title\":\"Unscripted\",\"status\":500,\"detail\":\"nothing scripted for " + method + " "
                            + target + "\",\"code\":\"UNSCRIPTED\"}", Map.of()));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type",
                    answer.status() >= 400 ? "application/problem+json" : "application/json");
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
