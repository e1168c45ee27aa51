package im.system;

import static im.system.Conversations.history;
import static im.system.Conversations.msgIds;
import static im.system.Conversations.oneTo;
import static im.system.Conversations.sendInOrder;
import static im.system.Conversations.seqs;
import static im.system.Conversations.text;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.checker.StandaloneProcess;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import im.protocol.client.ConversationIds;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two people chat through the real standalone process: one over TCP, one over WebSocket. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatEndToEndTest {

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("chat").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void twoUsersChatBothWays_everySendAckedOnce_storedOnce_inGaplessSeqOrder_deliveredOnceToThePeer()
            throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Accounts.befriend(server.rest(), alice, bob);
        String conversation = ConversationIds.privateChat(alice.userId(), bob.userId());
        int perSide = 25;

        try (Device aliceLaptop = Devices.connect(server.tcp(), alice.accessToken(), "laptop");
                Device bobPhone = Devices.connect(server.webSocket(), bob.accessToken(), "phone")) {
            ExecutorService senders = Executors.newFixedThreadPool(2);
            Future<List<SendAck>> fromAlice = senders.submit(
                    () -> sendInOrder(aliceLaptop.client, bob.userId(), "alice", perSide));
            Future<List<SendAck>> fromBob = senders.submit(
                    () -> sendInOrder(bobPhone.client, alice.userId(), "bob", perSide));
            List<SendAck> aliceAcks = fromAlice.get(120, TimeUnit.SECONDS);
            List<SendAck> bobAcks = fromBob.get(120, TimeUnit.SECONDS);
            senders.shutdown();

            List<SendAck> acks = new ArrayList<>(aliceAcks);
            acks.addAll(bobAcks);
            acks.forEach(ack -> assertEquals(conversation, ack.getConversationId()));
            assertEquals(oneTo(2 * perSide), acks.stream().map(SendAck::getSeq).sorted().toList(),
                    "the conversation's seqs are 1..n, each once");
            assertEquals(2 * perSide, acks.stream().map(SendAck::getMsgId).distinct().count(), "msgIds are unique");
            assertIncreasing(aliceAcks);
            assertIncreasing(bobAcks);

            await("each side is shown the other's messages").atMost(Duration.ofSeconds(30))
                    .until(() -> bobPhone.shown.size() >= perSide && aliceLaptop.shown.size() >= perSide);
            assertShownOnce(bobPhone, aliceAcks);
            assertShownOnce(aliceLaptop, bobAcks);

            List<Message> aliceView = history(aliceLaptop.client, conversation);
            List<Message> bobView = history(bobPhone.client, conversation);
            assertEquals(oneTo(2 * perSide), seqs(aliceView), "stored once each, no gap");
            assertEquals(msgIds(aliceView), msgIds(bobView), "both devices read the same order");
            for (Message message : aliceView) {
                String sender = message.getSenderId() == alice.userId() ? "alice" : "bob";
                assertTrue(text(message).startsWith(sender + "-"), "body belongs to its sender: " + text(message));
            }
        }
    }

    @Test
    void sendRepeatedWithSameClientMsgId_isAckedWithSameMsgIdAndSeq_andStoredOnce() throws Exception {
        Account carol = Accounts.signUp(server.rest(), "carol");
        Account dave = Accounts.signUp(server.rest(), "dave");
        Accounts.befriend(server.rest(), carol, dave);
        String conversation = ConversationIds.privateChat(carol.userId(), dave.userId());

        try (Device carolPhone = Devices.connect(server.tcp(), carol.accessToken(), "phone");
                Device davePhone = Devices.connect(server.tcp(), dave.accessToken(), "phone")) {
            Send send = Send.newBuilder()
                    .setClientMsgId(UUID.randomUUID().toString())
                    .setToUserId(dave.userId())
                    .setBody(ByteString.copyFrom("only once", StandardCharsets.UTF_8))
                    .build();
            SendAck first = carolPhone.client.send(send).get(30, TimeUnit.SECONDS);
            SendAck again = carolPhone.client.send(send).get(30, TimeUnit.SECONDS);
            // A resend racing itself, as after a reconnect with requests still in flight.
            List<CompletableFuture<SendAck>> racing = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                racing.add(carolPhone.client.send(send));
            }
            assertEquals(first, again);
            for (CompletableFuture<SendAck> ack : racing) {
                assertEquals(first, ack.get(30, TimeUnit.SECONDS));
            }

            List<Message> stored = history(carolPhone.client, conversation);
            assertEquals(1, stored.size(), "stored once");
            assertEquals(first.getMsgId(), stored.get(0).getMsgId());
            await().atMost(Duration.ofSeconds(30)).until(() -> !davePhone.shown.isEmpty());
            assertEquals(List.of(first.getMsgId()), msgIds(new ArrayList<>(davePhone.shown)), "shown once");
        }
    }

    private static void assertIncreasing(List<SendAck> acksInSendOrder) {
        for (int i = 1; i < acksInSendOrder.size(); i++) {
            assertTrue(acksInSendOrder.get(i - 1).getSeq() < acksInSendOrder.get(i).getSeq(),
                    "a sender's messages keep their send order");
        }
    }

    private static void assertShownOnce(Device receiver, List<SendAck> sent) {
        List<Long> shown = msgIds(receiver.shownInConversationOrder());
        assertEquals(shown.size(), new HashSet<>(shown).size(), "no message shown twice");
        assertEquals(sent.stream().map(SendAck::getMsgId).sorted().toList(), shown.stream().sorted().toList(),
                "every message shown");
    }
}
