package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.StandaloneProcess;
import im.client.cli.CliContext;
import im.client.cli.ImCli;
import im.client.sdk.ConversationView;
import im.protocol.client.ConversationIds;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSettings;
import im.protocol.client.ConversationSummary;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conversation list through the real SDK and the real standalone process: every device of a
 * user keeps the same unread count, last message and settings live, from the frames it receives,
 * and a device that comes later reads the same from the server's list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationListEndToEndTest {

    private static final Duration LIVE = Duration.ofSeconds(20);

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("conversations").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void unreadGoesUpOnReceiveAndToZeroOnReadOnEveryDevice_andSettingsFollowOnEveryDevice() throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Accounts.befriend(server.rest(), alice, bob);
        String chat = ConversationIds.privateChat(alice.userId(), bob.userId());

        try (Device aliceLaptop = Devices.connect(server.tcp(), alice.accessToken(), "laptop");
                Device alicePhone = Devices.connect(server.webSocket(), alice.accessToken(), "phone");
                Device bobPhone = Devices.connect(server.tcp(), bob.accessToken(), "phone")) {
            for (int i = 1; i <= 3; i++) {
                bobPhone.client.send(alice.userId(), ("news " + i).getBytes(StandardCharsets.UTF_8))
                        .get(20, TimeUnit.SECONDS);
            }

            for (Device device : List.of(aliceLaptop, alicePhone)) {
                ConversationView view = awaitView(device, chat, v -> v.unread() == 3);
                assertEquals("news 3", view.lastMessage().getBody().toStringUtf8());
            }
            ConversationSummary listed = only(aliceLaptop.client.conversations("", 50).get(20, TimeUnit.SECONDS));
            assertEquals(3, listed.getUnread());
            assertEquals(0, awaitView(bobPhone, chat, v -> v.lastSeq() == 3).unread(), "own messages are read");

            aliceLaptop.client.markRead(chat, 3);
            assertEquals(0, aliceLaptop.client.conversation(chat).unread(), "the reading device at once");
            awaitView(alicePhone, chat, v -> v.unread() == 0 && v.readSeq() == 3);
            assertEquals(0, only(alicePhone.client.conversations("", 50).get(20, TimeUnit.SECONDS)).getUnread());

            ConversationSettings set = alicePhone.client.setConversationSettings(chat, true, true)
                    .get(20, TimeUnit.SECONDS);
            assertTrue(set.getNotificationsOff());
            assertTrue(set.getPinned());
            ConversationView followed = awaitView(aliceLaptop, chat, v -> v.notificationsOff() && v.pinned());
            assertEquals(set.getPinnedAtMs(), followed.pinnedAtMs());
            assertFalse(awaitView(bobPhone, chat, v -> true).pinned(), "settings are the user's own");

            aliceLaptop.client.send(bob.userId(), "on my way".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
            ConversationView bobs = awaitView(bobPhone, chat, v -> v.lastSeq() == 4);
            assertEquals(1, bobs.unread());
            assertEquals("on my way", bobs.lastMessage().getBody().toStringUtf8());
            for (Device device : List.of(aliceLaptop, alicePhone)) {
                ConversationView view = awaitView(device, chat, v -> v.lastSeq() == 4);
                assertEquals(0, view.unread());
                assertEquals("on my way", view.lastMessage().getBody().toStringUtf8());
            }
        }

        try (Device aliceTablet = Devices.connect(server.tcp(), alice.accessToken(), "tablet")) {
            ConversationSummary later = only(aliceTablet.client.conversations("", 50).get(20, TimeUnit.SECONDS));
            assertEquals(chat, later.getConversationId());
            assertEquals(0, later.getUnread());
            assertEquals(4, later.getReadSeq());
            assertTrue(later.getNotificationsOff());
            assertTrue(later.getPinned());
            assertEquals("on my way", later.getLastMessage().getBody().toStringUtf8());
            assertEquals(0, aliceTablet.client.conversation(chat).unread());
        }
    }

    @Test
    void theCliListsConversationsWithTheirUnreadCountsAndPinsOneForEveryDevice() throws Exception {
        Account erin = Accounts.signUp(server.rest(), "erin");
        Account frank = Accounts.signUp(server.rest(), "frank");
        Accounts.befriend(server.rest(), erin, frank);
        String chat = ConversationIds.privateChat(erin.userId(), frank.userId());
        Path home = Files.createTempDirectory("im-cli-conversations");
        assertEquals("", cli(home, "--server", server.http().toString(), "--push", server.tcp().toString(),
                "login", erin.username(), "--password", Accounts.PASSWORD).err());

        try (Device frankPhone = Devices.connect(server.tcp(), frank.accessToken(), "phone");
                Device erinPhone = Devices.connect(server.webSocket(), erin.accessToken(), "phone")) {
            frankPhone.client.send(erin.userId(), "are you in?".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
            frankPhone.client.send(erin.userId(), "see you at 8".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);

            String listed = cli(home, "conversations").out();
            assertTrue(listed.startsWith(frank.username() + "  2 unread  |  "), listed);
            assertTrue(listed.contains(frank.username() + ": see you at 8"), listed);

            assertEquals("conversation with " + frank.username() + ": pinned, notifications on",
                    cli(home, "conversation", "pin", frank.username()).out().strip());
            awaitView(erinPhone, chat, ConversationView::pinned);
            assertTrue(cli(home, "conversations").out().startsWith(frank.username() + "  2 unread  pinned  |  "));
        }
    }

    /** What a CLI run printed; a run that failed fails the test with what it said. */
    private record CliRun(String out, String err) {
    }

    private static CliRun cli(Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImCli.run(new CliContext(home, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false), args);
        CliRun run = new CliRun(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, code, () -> "im " + String.join(" ", args) + ": " + run.err());
        return run;
    }

    private static ConversationView awaitView(Device device, String chat, Predicate<ConversationView> when) {
        return await().atMost(LIVE).until(() -> device.client.conversation(chat), v -> v != null && when.test(v));
    }

    private static ConversationSummary only(ConversationPage page) {
        assertEquals(1, page.getConversationsCount(), page.toString());
        assertTrue(page.getNextPageToken().isEmpty());
        return page.getConversations(0);
    }
}
