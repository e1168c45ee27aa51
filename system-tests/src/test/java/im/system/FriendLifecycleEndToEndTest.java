package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.StandaloneProcess;
import im.client.sdk.ImErrorException;
import im.protocol.client.ErrorCode;
import im.protocol.client.SendAck;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Friendships that end, through the real SDK and the real standalone process: the next private
 * message is refused at once, although the router remembered the pair as allowed for a minute
 * (im.router.send.allowed-ttl) and would ask again only after 15 s at the soonest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FriendLifecycleEndToEndTest {

    /** Far below the 15 s after which the router would have asked the user service again anyway. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("friends").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aBlockedFriendsNextSendIsRefusedNotFriendsAtOnce_andAfterUnblockAndANewFriendshipTheyChatAgain()
            throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Accounts.befriend(server.rest(), alice, bob);

        try (Device aliceLaptop = Devices.connect(server.tcp(), alice.accessToken(), "laptop");
                Device bobPhone = Devices.connect(server.webSocket(), bob.accessToken(), "phone")) {
            chat(aliceLaptop, bobPhone, alice, bob);

            server.rest().blockUser(alice.accessToken(), bob.userId());

            assertRefusedPromptly(bobPhone, alice.userId(), "are you there?");
            assertRefusedPromptly(aliceLaptop, bob.userId(), "blocked you");

            server.rest().unblockUser(alice.accessToken(), bob.userId());
            assertRefusedPromptly(bobPhone, alice.userId(), "unblocked, not friends yet");
            Accounts.befriend(server.rest(), bob, alice);
            int shownBefore = aliceLaptop.shown.size();
            send(bobPhone, alice.userId(), "friends again");
            await().atMost(Duration.ofSeconds(30)).until(() -> aliceLaptop.shown.size() > shownBefore);
        }
    }

    @Test
    void afterARemovalNeitherSideMaySendAnyMore() throws Exception {
        Account carol = Accounts.signUp(server.rest(), "carol");
        Account dave = Accounts.signUp(server.rest(), "dave");
        Accounts.befriend(server.rest(), carol, dave);

        try (Device carolPhone = Devices.connect(server.tcp(), carol.accessToken(), "phone");
                Device davePhone = Devices.connect(server.tcp(), dave.accessToken(), "phone")) {
            chat(carolPhone, davePhone, carol, dave);

            server.rest().removeFriend(dave.accessToken(), carol.userId());

            assertRefusedPromptly(carolPhone, dave.userId(), "still friends?");
            assertRefusedPromptly(davePhone, carol.userId(), "no");
        }
    }

    /** A few messages each way, each shown to the other: the router now remembers the pair both ways. */
    private static void chat(Device a, Device b, Account aAccount, Account bAccount) throws Exception {
        for (int i = 0; i < 3; i++) {
            send(a, bAccount.userId(), "ping-" + i);
            send(b, aAccount.userId(), "pong-" + i);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> a.shown.size() >= 3 && b.shown.size() >= 3);
    }

    private static SendAck send(Device from, long toUserId, String text) throws Exception {
        return from.client.send(toUserId, text.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
    }

    private static void assertRefusedPromptly(Device from, long toUserId, String text) {
        long start = System.nanoTime();
        CompletableFuture<SendAck> sent = from.client.send(toUserId, text.getBytes(StandardCharsets.UTF_8));
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> sent.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        ImErrorException refused = assertInstanceOf(ImErrorException.class, failed.getCause());
        assertEquals(ErrorCode.NOT_FRIENDS, refused.getCode(), refused.toString());
        assertTrue(took.compareTo(PROMPTLY) < 0, "refused after " + took);
    }
}
