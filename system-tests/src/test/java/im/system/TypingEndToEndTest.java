package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.StandaloneProcess;
import im.protocol.client.ConversationIds;
import im.protocol.client.Typing;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * "X is typing" through the real SDK and the real standalone process: a friend's signals reach the
 * peer's devices and none of the typer's own; a stranger's reach no one. A later signal's arrival
 * shows that an earlier one would have arrived by then: the process has one push node, whose
 * events keep their order, and a connection has one signal with the router at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypingEndToEndTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("typing").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aFriendsTypingAndItsStopReachThePeer_andNoneOfTheTypersOwnDevices() throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Accounts.befriend(server.rest(), alice, bob);
        String chat = ConversationIds.privateChat(alice.userId(), bob.userId());

        try (Device aliceLaptop = Devices.connect(server.tcp(), alice.accessToken(), "laptop");
                Device alicePhone = Devices.connect(server.webSocket(), alice.accessToken(), "phone");
                Device bobPhone = Devices.connect(server.webSocket(), bob.accessToken(), "phone")) {
            aliceLaptop.client.typing(chat, true);

            await().atMost(WITHIN).until(() -> bobPhone.typings.size() == 1);
            assertEquals(signal(chat, alice, true), bobPhone.typings.peek());

            aliceLaptop.client.typing(chat, false);
            await().atMost(WITHIN).until(() -> bobPhone.typings.size() == 2);
            assertEquals(List.of(signal(chat, alice, true), signal(chat, alice, false)), List.copyOf(bobPhone.typings));

            bobPhone.client.typing(chat, true);
            await().atMost(WITHIN).until(() -> !alicePhone.typings.isEmpty() && !aliceLaptop.typings.isEmpty());
            assertEquals(List.of(signal(chat, bob, true)), List.copyOf(alicePhone.typings),
                    "alice's phone hears bob, never alice's own typing");
            assertEquals(List.of(signal(chat, bob, true)), List.copyOf(aliceLaptop.typings));
        }
    }

    @Test
    void aStrangersTypingReachesNoOne_andLeavesTheStrangerConnected() throws Exception {
        Account eve = Accounts.signUp(server.rest(), "eve");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Account carol = Accounts.signUp(server.rest(), "carol");
        Accounts.befriend(server.rest(), eve, carol);

        try (Device evePhone = Devices.connect(server.tcp(), eve.accessToken(), "phone");
                Device bobPhone = Devices.connect(server.tcp(), bob.accessToken(), "phone");
                Device carolPhone = Devices.connect(server.tcp(), carol.accessToken(), "phone")) {
            evePhone.client.typing(ConversationIds.privateChat(eve.userId(), bob.userId()), true);
            // Refused (NOT_FRIENDS) before this one goes to the router; it reaches carol.
            String eveAndCarol = ConversationIds.privateChat(eve.userId(), carol.userId());
            evePhone.client.typing(eveAndCarol, true);

            await().atMost(WITHIN).until(() -> !carolPhone.typings.isEmpty());
            assertEquals(signal(eveAndCarol, eve, true), carolPhone.typings.peek());
            assertEquals(List.of(), List.copyOf(bobPhone.typings));
            assertTrue(evePhone.client.isConnected(), "a refused typing signal is not an error of the connection");
        }
    }

    private static Typing signal(String conversationId, Account user, boolean typing) {
        return Typing.newBuilder().setConversationId(conversationId).setUserId(user.userId()).setTyping(typing).build();
    }
}
