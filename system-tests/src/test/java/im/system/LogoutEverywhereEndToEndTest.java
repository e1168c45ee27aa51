package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.checker.StandaloneProcess;
import im.client.sdk.ConnectionState;
import im.client.sdk.ImApiException;
import im.client.sdk.ImClient;
import im.client.sdk.ImErrorException;
import im.protocol.client.ErrorCode;
import im.system.Accounts.Account;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * "Log out everywhere" bites at once in the real standalone process: every device's live
 * connection gets SESSION_REVOKED and the SDK stops for good, and the old access token is refused
 * on REST and on a new connection although it has not expired.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogoutEverywhereEndToEndTest {

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("revocation").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    /** A device that remembers why its client stopped. */
    private static final class Watched implements AutoCloseable {
        final CompletableFuture<Throwable> stopped = new CompletableFuture<>();
        final ImClient client;

        Watched(URI endpoint, String accessToken, String deviceId) {
            client = ImClient.builder()
                    .endpoint(endpoint)
                    .accessToken(accessToken)
                    .deviceId(deviceId)
                    .requestTimeout(Duration.ofSeconds(20))
                    .listener(new ImClient.Listener() {
                        @Override
                        public void onDisconnected(Throwable cause) {
                            stopped.complete(cause);
                        }
                    })
                    .build();
        }

        Watched connected() throws Exception {
            client.connect().get(30, TimeUnit.SECONDS);
            return this;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    @Test
    void logoutAllClosesEveryDevicesSocketWithSessionRevoked_andTheOldTokenIsRefusedOnRestAndOnANewConnection()
            throws Exception {
        Account phoneLogin = Accounts.signUp(server.rest(), "erin");
        Account laptopLogin = Accounts.logIn(server.rest(), phoneLogin.username());
        server.rest().me(phoneLogin.accessToken());

        try (Watched phone = new Watched(server.tcp(), phoneLogin.accessToken(), "phone").connected();
                Watched laptop = new Watched(server.webSocket(), laptopLogin.accessToken(), "laptop").connected()) {

            server.rest().logoutAll(phoneLogin.accessToken());

            await("both devices are told and stop").atMost(Duration.ofSeconds(10))
                    .until(() -> phone.stopped.isDone() && laptop.stopped.isDone());
            assertRevoked(phone.stopped.get());
            assertRevoked(laptop.stopped.get());
            assertEquals(ConnectionState.DISCONNECTED, phone.client.state(), "no reconnect with a revoked token");
            assertEquals(ConnectionState.DISCONNECTED, laptop.client.state());
        }

        ImApiException rest = assertThrows(ImApiException.class, () -> server.rest().me(laptopLogin.accessToken()));
        assertEquals(401, rest.getStatus());
        assertEquals("SESSION_REVOKED", rest.getCode());
        try (Watched again = new Watched(server.tcp(), phoneLogin.accessToken(), "phone")) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> again.client.connect().get(30, TimeUnit.SECONDS));
            assertRevoked(refused.getCause());
        }
        ImApiException refresh = assertThrows(ImApiException.class,
                () -> server.rest().refresh(phoneLogin.tokens().refreshToken()));
        assertEquals(401, refresh.getStatus());
        // a new login after it works
        server.rest().me(Accounts.logIn(server.rest(), phoneLogin.username()).accessToken());
    }

    private static void assertRevoked(Throwable cause) {
        ImErrorException error = assertInstanceOf(ImErrorException.class, cause, () -> String.valueOf(cause));
        assertEquals(ErrorCode.SESSION_REVOKED, error.getCode());
    }
}
