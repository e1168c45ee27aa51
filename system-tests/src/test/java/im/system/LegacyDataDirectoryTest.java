package im.system;

import static im.system.Conversations.history;
import static im.system.Conversations.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.checker.StandaloneProcess;
import im.protocol.client.ConversationIds;
import im.protocol.client.Message;
import im.protocol.client.SendAck;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A data directory written before router.db (every table in H2's im.mv.db, see
 * src/test/resources/legacy-data-dir) opens in today's app: accounts log in, the stored messages
 * are there with their seqs, and the next send continues the conversation's seqs.
 */
class LegacyDataDirectoryTest {

    @Test
    void messagesStoredBeforeRouterDbExistedAreKeptAndTheirSeqsContinue() throws Exception {
        try (StandaloneProcess server = new StandaloneProcess("legacy")) {
            try (InputStream old = LegacyDataDirectoryTest.class.getResourceAsStream("/legacy-data-dir/im.mv.db")) {
                Files.copy(old, server.dataDir().resolve("im.mv.db"));
            }
            server.start();
            Account alice = Accounts.logIn(server.rest(), "alice");
            String conversation = ConversationIds.privateChat(1, 2);
            try (Device laptop = Devices.connect(server.tcp(), alice.accessToken(), "laptop")) {
                List<Message> before = history(laptop.client, conversation);
                assertEquals(List.of(1L, 2L, 3L), seqs(before));
                assertEquals(List.of("before router.db 1", "before router.db 2", "before router.db 3"),
                        before.stream().map(Conversations::text).toList());
                SendAck next = Conversations.sendInOrder(laptop.client, 2, "after", 1).get(0);
                assertEquals(4, next.getSeq(), "the conversation's seqs go on from the moved ones");
            }
            server.restart();
            Account again = Accounts.logIn(server.rest(), "alice");
            try (Device laptop = Devices.connect(server.tcp(), again.accessToken(), "laptop")) {
                assertEquals(List.of(1L, 2L, 3L, 4L), seqs(history(laptop.client, conversation)),
                        "a second start moves nothing again and loses nothing");
            }
            assertEquals(true, Files.exists(server.dataDir().resolve("router.db")));
            assertEquals(1, server.logText().lines().filter(line -> line.contains("Moved the router's tables")).count());
        }
    }
}
