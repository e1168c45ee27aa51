package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.StandaloneProcess;
import im.client.sdk.ImClient;
import im.protocol.client.ConversationIds;
import im.protocol.client.Message;
import im.protocol.client.MessageChange;
import im.protocol.client.MessagesHidden;
import im.protocol.client.SendAck;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Recall, edit and delete-for-me through the real SDK and the real standalone process: each is in
 * the timeline (or, for delete-for-me, in the user's own reads), so a device that was offline
 * converges at its next sync to what the online devices saw live.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageChangesEndToEndTest {

    private static final Duration LIVE = Duration.ofSeconds(20);

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("changes").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aRecallAndAnEditReachAnOfflineDeviceAtItsNextSync_andDeleteForMeFollowsTheUsersOtherDevice()
            throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Accounts.befriend(server.rest(), alice, bob);
        String chat = ConversationIds.privateChat(alice.userId(), bob.userId());

        try (Device alicePhone = Devices.connect(server.tcp(), alice.accessToken(), "phone");
                Device bobPhone = Devices.connect(server.webSocket(), bob.accessToken(), "phone")) {
            Watched bobLaptop = Watched.connect(server, bob, Map.of());
            SendAck typo = alicePhone.client.sendText(bob.userId(), "meet at 7").get(20, TimeUnit.SECONDS);
            SendAck wrong = alicePhone.client.sendText(bob.userId(), "bring the keys").get(20, TimeUnit.SECONDS);
            await().atMost(LIVE).until(() -> bobLaptop.seen(wrong.getSeq()) != null);
            Map<String, Long> held = bobLaptop.client.cursors();
            bobLaptop.client.close();

            SendAck edit = alicePhone.client.edit(chat, typo.getSeq(), "meet at 8").get(20, TimeUnit.SECONDS);
            SendAck recall = alicePhone.client.recall(chat, wrong.getSeq()).get(20, TimeUnit.SECONDS);
            Message editSeenLive = await().atMost(LIVE).until(() -> seen(bobPhone, edit.getSeq()), m -> m != null);
            assertEquals("meet at 8", editSeenLive.getChange().getContent().getText().getText());
            assertEquals(2, await().atMost(LIVE).until(() -> bobPhone.client.conversation(chat),
                    v -> v != null && v.lastSeq() == recall.getSeq()).unread(), "the two messages; changes add none");

            MessagesHidden hidden = bobPhone.client.hideForMe(chat, typo.getSeq()).get(20, TimeUnit.SECONDS);
            assertEquals(List.of(typo.getSeq()), hidden.getSeqsList());

            Watched laterLaptop = Watched.connect(server, bob, held);
            try {
                Message recallSynced = await().atMost(LIVE).until(() -> laterLaptop.seen(recall.getSeq()), m -> m != null);
                assertEquals(MessageChange.Kind.RECALLED, recallSynced.getChange().getKind());
                assertEquals(wrong.getSeq(), recallSynced.getChange().getTargetSeq());
                assertEquals(wrong.getMsgId(), recallSynced.getChange().getTargetMsgId());
                assertEquals("meet at 8", laterLaptop.seen(edit.getSeq()).getChange().getContent().getText().getText());
                assertTrue(laterLaptop.client.sync(chat, 0, 10).get(20, TimeUnit.SECONDS).getMessages(1).getRecalled(),
                        "the recalled message itself now says nothing");
                Message typoForBob = laterLaptop.client.sync(chat, 0, 10).get(20, TimeUnit.SECONDS).getMessages(0);
                assertTrue(typoForBob.getHidden());
                assertFalse(typoForBob.hasContent());
                Message typoForAlice = alicePhone.client.sync(chat, 0, 10).get(20, TimeUnit.SECONDS).getMessages(0);
                assertEquals("meet at 7", typoForAlice.getContent().getText().getText(), "deleted for bob only");
            } finally {
                laterLaptop.client.close();
            }
        }
    }

    private static Message seen(Device device, long seq) {
        return device.shown.stream().filter(m -> m.getSeq() == seq).findFirst().orElse(null);
    }

    /** A device built here so it can start from the cursors an earlier client of it held. */
    private static final class Watched {
        final ImClient client;
        final ConcurrentLinkedQueue<Message> shown = new ConcurrentLinkedQueue<>();

        private Watched(StandaloneProcess server, Account account, Map<String, Long> cursors) {
            client = ImClient.builder().endpoint(server.tcp()).accessToken(account.accessToken()).deviceId("laptop")
                    .cursors(cursors).requestTimeout(Duration.ofSeconds(20))
                    .listener(new ImClient.Listener() {
                        @Override
                        public void onMessage(Message message) {
                            shown.add(message);
                        }
                    }).build();
        }

        static Watched connect(StandaloneProcess server, Account account, Map<String, Long> cursors) throws Exception {
            Watched device = new Watched(server, account, cursors);
            device.client.connect().get(30, TimeUnit.SECONDS);
            return device;
        }

        Message seen(long seq) {
            return shown.stream().filter(m -> m.getSeq() == seq).findFirst().orElse(null);
        }
    }
}
