package im.router.offline;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The operator's endpoint for the tests: records every call and answers 200, or 500 when told to. */
final class WebhookReceiver implements AutoCloseable {

    /** One call as it arrived, and the status it was answered with. */
    record Call(String timestamp, String signature, byte[] body, int status) {

        List<JsonObject> notifications() {
            return new JsonObject(new String(body, StandardCharsets.UTF_8))
                    .getJsonArray("notifications").stream().map(JsonObject.class::cast).toList();
        }
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();

    /** Listens on the port and path of {@code url} (the one the router was configured with). */
    WebhookReceiver(URI url) throws IOException {
        server = HttpServer.create(new InetSocketAddress(url.getHost(), url.getPort()), 0);
        server.createContext(url.getPath(), exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
            calls.add(new Call(exchange.getRequestHeaders().getFirst("X-IM-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-IM-Signature"), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The next {@code count} calls are answered 500. */
    void failNext(int count) {
        failNext.set(count);
    }

    List<Call> calls() {
        return calls;
    }

    /** The notifications for {@code userId} in calls answered 200. */
    List<JsonObject> takenFor(long userId) {
        return calls.stream().filter(call -> call.status() == 200)
                .flatMap(call -> call.notifications().stream())
                .filter(n -> n.getLong("userId") == userId).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
