package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import im.checker.StandaloneProcess;
import im.protocol.client.SendAck;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The offline hook through the real SDK and the real standalone process: a message for a friend
 * with no device online reaches the operator's webhook, signed with the shared secret and without
 * the message's body; a message for a friend who is online does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfflineNotificationEndToEndTest {

    private static final String SECRET = "offline-hook-secret-for-this-test-only-0123456789";

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private HttpServer operator;
    private StandaloneProcess server;

    /** One request the operator's endpoint received. */
    private record Call(String timestamp, String signature, String body) {
    }

    @BeforeAll
    void start() throws Exception {
        operator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        operator.createContext("/offline", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(new Call(exchange.getRequestHeaders().getFirst("X-IM-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-IM-Signature"), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        operator.start();
        server = new StandaloneProcess("offline")
                .environment("IM_OFFLINE_WEBHOOK_URL", "http://127.0.0.1:" + operator.getAddress().getPort() + "/offline")
                .environment("IM_OFFLINE_WEBHOOK_SECRET", SECRET)
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        operator.stop(0);
    }

    @Test
    void aMessageForAnOfflineFriendIsReportedSignedAndWithoutItsBody_anOnlineFriendsIsNot() throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Account carol = Accounts.signUp(server.rest(), "carol");
        Accounts.befriend(server.rest(), alice, bob);
        Accounts.befriend(server.rest(), alice, carol);

        try (Device aliceLaptop = Devices.connect(server.tcp(), alice.accessToken(), "laptop");
                Device carolPhone = Devices.connect(server.webSocket(), carol.accessToken(), "phone")) {
            SendAck toBob = aliceLaptop.client.send(bob.userId(), "secret plans".getBytes(StandardCharsets.UTF_8))
                    .get(30, TimeUnit.SECONDS);
            aliceLaptop.client.send(carol.userId(), "carol is here".getBytes(StandardCharsets.UTF_8))
                    .get(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(20)).until(() -> calls.stream()
                    .anyMatch(call -> call.body().contains("\"userId\":" + bob.userId())));
            // the batch window is a second: wait past it so a notice for carol would have come too
            TimeUnit.SECONDS.sleep(3);

            for (Call call : calls) {
                assertEquals("sha256=" + hmac(call.timestamp() + "." + call.body()), call.signature());
                assertFalse(call.body().contains("\"userId\":" + carol.userId()), call.body());
                assertFalse(call.body().contains("secret plans"), call.body());
            }
            String toBobCall = calls.stream().map(Call::body)
                    .filter(body -> body.contains("\"userId\":" + bob.userId())).findFirst().orElseThrow();
            assertTrue(toBobCall.contains("\"senderId\":" + alice.userId()), toBobCall);
            assertTrue(toBobCall.contains("\"seq\":" + toBob.getSeq()), toBobCall);
        }
    }

    private static String hmac(String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
