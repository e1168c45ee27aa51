package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.StandaloneProcess;
import im.client.sdk.ImClient;
import im.protocol.client.Presence;
import im.protocol.client.PresenceList;
import im.system.Accounts.Account;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Friends' presence through the real SDK and the real standalone process: a friend hears the user
 * come online and go offline (when its last device leaves), asks when it was last seen, and hears
 * nothing once the user hides its presence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresenceEndToEndTest {

    private static final Duration LIVE = Duration.ofSeconds(20);

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("presence").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aFriendSeesTheUserComeAndLeave_andNothingOnceTheUserHidesIt() throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Account stranger = Accounts.signUp(server.rest(), "stranger");
        Accounts.befriend(server.rest(), alice, bob);

        try (Watching bobPhone = Watching.connect(server, bob, "phone");
                Watching strangerPhone = Watching.connect(server, stranger, "phone")) {
            Watching aliceLaptop = Watching.connect(server, alice, "laptop");
            Watching alicePhone = Watching.connect(server, alice, "phone");
            assertTrue(await().atMost(LIVE).until(() -> bobPhone.last(alice), p -> p != null).getOnline());

            aliceLaptop.close();
            PresenceList whileOnePhoneIsOn = bobPhone.client.presence(alice.userId()).get(20, TimeUnit.SECONDS);
            assertTrue(whileOnePhoneIsOn.getPresences(0).getOnline(), "online while any device is");
            alicePhone.close();
            Presence offline = await().atMost(LIVE).until(() -> bobPhone.last(alice), p -> p != null && !p.getOnline());
            assertTrue(offline.getLastSeenMs() > 0);
            Presence asked = bobPhone.client.presence(alice.userId()).get(20, TimeUnit.SECONDS).getPresences(0);
            assertFalse(asked.getOnline());
            assertEquals(offline.getLastSeenMs(), asked.getLastSeenMs());
            assertTrue(strangerPhone.heard.isEmpty(), "a stranger hears nothing");
            assertEquals(0, strangerPhone.client.presence(alice.userId()).get(20, TimeUnit.SECONDS).getPresencesCount());

            server.rest().setShowPresence(alice.accessToken(), false);
            long heardBefore = bobPhone.heard.stream().filter(p -> p.getUserId() == alice.userId()).count();
            try (Watching hidden = Watching.connect(server, alice, "tablet")) {
                assertEquals(0, bobPhone.client.presence(alice.userId()).get(20, TimeUnit.SECONDS).getPresencesCount());
            }
            // Bob's own friend carol coming online shows bob's stream has passed alice's moments.
            Account carol = Accounts.signUp(server.rest(), "carol");
            Accounts.befriend(server.rest(), carol, bob);
            try (Watching carolPhone = Watching.connect(server, carol, "phone")) {
                await().atMost(LIVE).until(() -> bobPhone.last(carol) != null);
            }
            assertEquals(heardBefore, bobPhone.heard.stream().filter(p -> p.getUserId() == alice.userId()).count(),
                    "nothing of alice once she hides her presence");
        }
    }

    /** A device that records the presence it hears. */
    private static final class Watching implements AutoCloseable {
        final ImClient client;
        final ConcurrentLinkedQueue<Presence> heard = new ConcurrentLinkedQueue<>();

        private Watching(StandaloneProcess server, Account account, String deviceId) {
            client = ImClient.builder().endpoint(server.tcp()).accessToken(account.accessToken()).deviceId(deviceId)
                    .requestTimeout(Duration.ofSeconds(20))
                    .listener(new ImClient.Listener() {
                        @Override
                        public void onPresence(Presence presence) {
                            heard.add(presence);
                        }
                    }).build();
        }

        static Watching connect(StandaloneProcess server, Account account, String deviceId) throws Exception {
            Watching device = new Watching(server, account, deviceId);
            device.client.connect().get(30, TimeUnit.SECONDS);
            return device;
        }

        Presence last(Account about) {
            return heard.stream().filter(p -> p.getUserId() == about.userId()).reduce((a, b) -> b).orElse(null);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
