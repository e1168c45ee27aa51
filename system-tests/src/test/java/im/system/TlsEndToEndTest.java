package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.checker.StandaloneProcess;
import im.client.cli.CliContext;
import im.client.cli.ImCli;
import im.client.sdk.ImClient;
import im.client.sdk.ImRestClient;
import im.client.sdk.ServerTrust;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The standalone process with its development certificate (IM_TLS=self-signed): clients that pin
 * the fingerprint it printed log in over HTTPS and chat over TLS on TCP and WebSocket; a client
 * pinning another certificate is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String WRONG_PIN = "00".repeat(32);

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("tls").selfSignedTls().start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void sdkPinningThePrintedCertificate_logsInOverHttps_andChatsOverTlsTcpAndWss() throws Exception {
        String fingerprint = server.certificateFingerprint();
        assertNotNull(fingerprint, "the start prints the certificate's SHA-256");
        assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
        assertTrue(server.http().toString().startsWith("https://"));
        ImRestClient rest = server.rest();
        Account alice = Accounts.signUp(rest, "alice");
        Account bob = Accounts.signUp(rest, "bob");
        Accounts.befriend(rest, alice, bob);

        try (Device aliceLaptop = Devices.connect(server.tcp(), alice.accessToken(), "laptop", server.trust());
                Device bobBrowser = Devices.connect(server.webSocket(), bob.accessToken(), "browser", server.trust())) {
            assertTrue(server.tcp().toString().startsWith("tls://"));
            assertTrue(server.webSocket().toString().startsWith("wss://"));
            send(aliceLaptop.client, bob.userId(), "over tls");
            send(bobBrowser.client, alice.userId(), "over wss");

            await().atMost(WAIT).until(() -> bobBrowser.shown.stream().anyMatch(m -> text(m).equals("over tls")));
            await().atMost(WAIT).until(() -> aliceLaptop.shown.stream().anyMatch(m -> text(m).equals("over wss")));
        }
    }

    @Test
    void sdkPinningAnotherCertificate_isRefusedOverHttpsAndTls_namingTheMismatch() throws Exception {
        ServerTrust wrong = ServerTrust.pinnedSha256(WRONG_PIN);
        ImRestClient rest = new ImRestClient(server.http(), server.http(), Duration.ofSeconds(10), wrong);
        RuntimeException refused = assertThrows(RuntimeException.class, () -> rest.login("nobody", "whatever1"));
        assertTrue(causes(refused, SSLException.class), () -> "refused by TLS: " + refused);
        assertTrue(messages(refused).contains("is not the pinned"), () -> messages(refused));

        Account carol = Accounts.signUp(server.rest(), "carol");
        ImClient client = ImClient.builder().endpoint(server.tcp()).accessToken(carol.accessToken())
                .deviceId("phone").trust(wrong).autoReconnect(false).build();
        try {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> client.connect().get(30, TimeUnit.SECONDS));
            assertTrue(causes(failed, SSLException.class), () -> "refused by TLS: " + failed);
        } finally {
            client.close();
        }
    }

    @Test
    void cliPinnedToThePrintedCertificate_registersLogsInAndSends_andAWrongPinFails() throws Exception {
        Path home = Files.createTempDirectory("im-cli-tls");
        String username = "cli-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        String[] servers = {"--server", server.http().toString(), "--push", server.tcp().toString(),
                "--pin", server.certificateFingerprint()};

        assertEquals(0, cli(home, servers, "register", username, "--password", Accounts.PASSWORD));
        assertEquals(0, cli(home, servers, "login", username, "--password", Accounts.PASSWORD));
        Account dave = Accounts.signUp(server.rest(), "dave");
        Accounts.befriend(server.rest(), Accounts.logIn(server.rest(), username), dave);

        try (Device daveBrowser = Devices.connect(server.webSocket(), dave.accessToken(), "browser", server.trust())) {
            // The profile kept the servers and the pin: no option needed any more.
            assertEquals(0, cli(home, new String[0], "send", dave.username(), "from", "the", "cli"));
            await().atMost(WAIT).until(() -> daveBrowser.shown.stream().anyMatch(m -> text(m).equals("from the cli")));
        }

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int wrongPin = ImCli.run(context(home, err), "--pin", WRONG_PIN, "login", username, "--password",
                Accounts.PASSWORD);
        assertEquals(1, wrongPin);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not the pinned"), err::toString);
    }

    private static int cli(Path home, String[] options, String... command) {
        String[] args = new String[options.length + command.length];
        System.arraycopy(options, 0, args, 0, options.length);
        System.arraycopy(command, 0, args, options.length, command.length);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImCli.run(context(home, err), args);
        if (code != 0) {
            System.err.println("im " + String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
        }
        return code;
    }

    private static CliContext context(Path home, ByteArrayOutputStream err) {
        return new CliContext(home, new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    private static void send(ImClient client, long to, String text) throws Exception {
        client.send(Send.newBuilder().setClientMsgId(UUID.randomUUID().toString()).setToUserId(to)
                .setBody(ByteString.copyFrom(text, StandardCharsets.UTF_8)).build()).get(30, TimeUnit.SECONDS);
    }

    /** What a message says: the CLI sends text messages, the SDK's byte sends a body. */
    private static String text(Message message) {
        return message.hasContent() ? message.getContent().getText().getText() : message.getBody().toStringUtf8();
    }

    private static boolean causes(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append(" | ");
        }
        return all.toString();
    }
}
