package im.push.end2end;

import static im.push.end2end.TestUsers.befriend;
import static im.push.end2end.TestUsers.sendAck;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.presence.PresenceRegistry;
import im.common.retry.DeviceKey;
import im.common.retry.PendingAcks;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationCursor;
import im.protocol.client.DeliverAck;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.GetReceipts;
import im.protocol.client.HelloOk;
import im.protocol.client.Message;
import im.protocol.client.Read;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Receipts;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.client.SyncPage;
import im.protocol.user.UserDirectoryGrpc;
import im.push.end2end.TestUsers.User;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Reliable delivery through the real push node, router, user directory and leaf on MariaDB:
 * retransmission of unacknowledged deliveries, catch-up paging gated by acks, per-device send
 * order, read and delivery receipts. Retry timeouts are short in the test profile (1 s, 2 attempts).
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class ReliableDeliveryEndToEndTest {

    private static final int TCP_PORT = 17005;
    private static final int WS_PORT = 17006;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private User newUser() {
        return TestUsers.create(users, "reliable-user");
    }

    @Inject
    PresenceRegistry presence;

    @Inject
    PendingAcks pending;

    private static Frame send(long requestId, long to, String text, long clientSeq) {
        return Frame.newBuilder().setRequestId(requestId).setSend(Send.newBuilder()
                .setClientMsgId(UUID.randomUUID().toString()).setToUserId(to).setClientSeq(clientSeq)
                .setBody(ByteString.copyFrom(text, StandardCharsets.UTF_8))).build();
    }

    private static Frame ack(String conversationId, long seq) {
        return Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                .setConversationId(conversationId).setSeq(seq)).build();
    }

    private static Frame deliverAttempt(TestDevice device, int attempt) {
        return device.take(frame -> frame.getBodyCase() == Frame.BodyCase.DELIVER
                && frame.getDeliver().getAttempt() == attempt);
    }

    private static List<Long> seqs(SyncPage page) {
        return page.getMessagesList().stream().map(Message::getSeq).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            seqs.add(seq);
        }
        return seqs;
    }

    @Test
    void unacknowledgedDeliverComesAgainWithTheNextAttemptUntilMaxAttempts() throws Exception {
        User alice = newUser();
        User bob = newUser();
        befriend(alice, bob);
        try (TcpDevice alicePhone = new TcpDevice(TCP_PORT); WebSocketDevice bobBrowser = new WebSocketDevice(WS_PORT)) {
            alicePhone.hello(1, alice.token(), "alice-phone");
            bobBrowser.hello(1, bob.token(), "bob-browser");

            alicePhone.send(send(2, bob.id(), "are you there?", 0));
            SendAck sent = sendAck(alicePhone.answerTo(2));

            Message first = deliverAttempt(bobBrowser, 0).getDeliver().getMessage();
            Message again = deliverAttempt(bobBrowser, 1).getDeliver().getMessage();
            assertEquals(first, again, "the same stored message, sent again");
            assertEquals(sent.getMsgId(), again.getMsgId());
            deliverAttempt(bobBrowser, 2);

            // after the last attempt's check the entry is gone, and with it every later retransmission
            DeviceKey browser = new DeviceKey(bob.id(), "bob-browser");
            await().atMost(TestDevice.WAIT).until(() -> pending.size(browser).toCompletableFuture().join() == 0);
            assertTrue(bobBrowser.receivedSoFar(Frame.BodyCase.DELIVER).isEmpty());
        }
    }

    @Test
    void acknowledgedDeliverIsNotSentAgainAndTheSenderGetsADeliveryReceipt() throws Exception {
        User alice = newUser();
        User bob = newUser();
        befriend(alice, bob);
        try (TcpDevice alicePhone = new TcpDevice(TCP_PORT); TcpDevice bobPhone = new TcpDevice(TCP_PORT)) {
            alicePhone.hello(1, alice.token(), "alice-phone");
            bobPhone.hello(1, bob.token(), "bob-phone");

            alicePhone.send(send(2, bob.id(), "hi", 0));
            SendAck sent = sendAck(alicePhone.answerTo(2));
            Message delivered = bobPhone.take(Frame.BodyCase.DELIVER).getDeliver().getMessage();
            bobPhone.send(ack(delivered.getConversationId(), delivered.getSeq()));

            DeliveryReceipt receipt = alicePhone.take(Frame.BodyCase.DELIVERY_RECEIPT).getDeliveryReceipt();
            assertEquals(DeliveryReceipt.newBuilder().setConversationId(sent.getConversationId())
                    .setRecipientId(bob.id()).setUpToSeq(sent.getSeq()).build(), receipt);
            await().atMost(TestDevice.WAIT).until(() -> pending.size(new DeviceKey(bob.id(), "bob-phone")).toCompletableFuture().join() == 0);
            assertTrue(bobPhone.receivedSoFar(Frame.BodyCase.DELIVER).isEmpty());
        }
    }

    @Test
    void reconnectingDeviceIsToldWhatItIsBehindAndGetsPagesOnlyAsItAcknowledgesThem() throws Exception {
        User alice = newUser();
        User bob = newUser();
        befriend(alice, bob);
        String conversation;
        try (TcpDevice alicePhone = new TcpDevice(TCP_PORT)) {
            alicePhone.hello(1, alice.token(), "alice-phone");
            for (int i = 1; i <= 250; i++) {
                alicePhone.send(send(100 + i, bob.id(), "missed " + i, i));
            }
            SendAck last = null;
            for (int i = 1; i <= 250; i++) {
                last = sendAck(alicePhone.answerTo(100 + i));
            }
            conversation = last.getConversationId();
            assertEquals(250, last.getSeq());
        }

        try (WebSocketDevice bobBrowser = new WebSocketDevice(WS_PORT)) {
            HelloOk ok = bobBrowser.hello(1, bob.token(), "bob-browser", ConversationCursor.newBuilder()
                    .setConversationId(conversation).setLastSeq(0).build()).getHelloOk();
            assertEquals(List.of(ConversationCursor.newBuilder().setConversationId(conversation).setLastSeq(250)
                    .setNewMessages(250).build()), ok.getBehindList(), "the summary: how far and how many are new");

            Frame firstFrame = bobBrowser.take(Frame.BodyCase.SYNC_PAGE);
            assertEquals(0, firstFrame.getRequestId());
            SyncPage first = firstFrame.getSyncPage();
            assertEquals(range(1, 100), seqs(first));
            assertTrue(first.getHasMore());
            // unacknowledged, the same page comes again after the timeout, and no later page comes
            assertEquals(first, bobBrowser.take(Frame.BodyCase.SYNC_PAGE).getSyncPage());
            assertTrue(bobBrowser.receivedSoFar(Frame.BodyCase.SYNC_PAGE).stream()
                    .allMatch(frame -> frame.getSyncPage().equals(first)));

            bobBrowser.send(ack(conversation, 100));
            SyncPage second = bobBrowser.take(frame -> frame.getBodyCase() == Frame.BodyCase.SYNC_PAGE
                    && !frame.getSyncPage().equals(first)).getSyncPage();
            assertEquals(range(101, 200), seqs(second));
            assertTrue(second.getHasMore());

            bobBrowser.send(ack(conversation, 200));
            SyncPage third = bobBrowser.take(frame -> frame.getBodyCase() == Frame.BodyCase.SYNC_PAGE
                    && !frame.getSyncPage().equals(first) && !frame.getSyncPage().equals(second)).getSyncPage();
            assertEquals(range(201, 250), seqs(third));
            assertFalse(third.getHasMore());
            assertEquals(250, third.getLastSeq());
            bobBrowser.send(ack(conversation, 250));
        }
    }

    @Test
    void pipelinedSendsOfOneDeviceAreStoredInTheOrderTheyWereSent() throws Exception {
        User alice = newUser();
        User bob = newUser();
        befriend(alice, bob);
        try (TcpDevice alicePhone = new TcpDevice(TCP_PORT)) {
            alicePhone.hello(1, alice.token(), "alice-phone");
            int count = 40;
            for (int i = 1; i <= count; i++) {
                alicePhone.send(send(10 + i, bob.id(), "burst " + i, i));
            }

            List<Long> seqs = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                seqs.add(sendAck(alicePhone.answerTo(10 + i)).getSeq());
            }
            assertEquals(range(1, count), seqs, "seq order == send order");

            alicePhone.send(send(99, bob.id(), "skipped ahead", count + 5));
            Frame refused = alicePhone.answerTo(99);
            assertEquals(ErrorCode.OUT_OF_ORDER, refused.getError().getCode(), () -> "got " + refused);
            assertEquals(count + 1, refused.getError().getExpectedClientSeq());
        }
    }

    @Test
    void readMovesThePositionThePeerGetsAReadReceiptAndGetReceiptsReportsIt() throws Exception {
        User alice = newUser();
        User bob = newUser();
        befriend(alice, bob);
        try (TcpDevice alicePhone = new TcpDevice(TCP_PORT); WebSocketDevice bobBrowser = new WebSocketDevice(WS_PORT);
                TcpDevice bobPhone = new TcpDevice(TCP_PORT)) {
            alicePhone.hello(1, alice.token(), "alice-phone");
            bobBrowser.hello(1, bob.token(), "bob-browser");
            bobPhone.hello(1, bob.token(), "bob-phone");
            alicePhone.send(send(2, bob.id(), "one", 1));
            alicePhone.send(send(3, bob.id(), "two", 2));
            sendAck(alicePhone.answerTo(2));
            SendAck second = sendAck(alicePhone.answerTo(3));
            String conversation = second.getConversationId();
            bobBrowser.send(ack(conversation, second.getSeq()));

            bobBrowser.send(Frame.newBuilder().setRequestId(7).setRead(Read.newBuilder()
                    .setConversationId(conversation).setUpToSeq(second.getSeq())).build());

            ReadReceipt mine = bobBrowser.answerTo(7).getReadReceipt();
            ReadReceipt expected = ReadReceipt.newBuilder().setConversationId(conversation).setReaderId(bob.id())
                    .setUpToSeq(second.getSeq()).build();
            assertEquals(expected, mine);
            Frame toAlice = alicePhone.take(Frame.BodyCase.READ_RECEIPT);
            assertEquals(0, toAlice.getRequestId());
            assertEquals(expected, toAlice.getReadReceipt());
            assertEquals(expected, bobPhone.take(Frame.BodyCase.READ_RECEIPT).getReadReceipt(),
                    "the reader's other device clears its unread marks");

            alicePhone.send(Frame.newBuilder().setRequestId(8).setGetReceipts(GetReceipts.newBuilder()
                    .setConversationId(conversation)).build());
            Frame answer = alicePhone.answerTo(8);
            assertEquals(Frame.BodyCase.RECEIPTS, answer.getBodyCase(), () -> "got " + answer);
            Receipts receipts = answer.getReceipts();
            assertEquals(conversation, receipts.getConversationId());
            assertEquals(List.of(expected), receipts.getReadList());
            assertEquals(List.of(DeliveryReceipt.newBuilder().setConversationId(conversation)
                    .setRecipientId(bob.id()).setUpToSeq(second.getSeq()).build()), receipts.getDeliveredList());

            bobBrowser.send(Frame.newBuilder().setRequestId(9).setRead(Read.newBuilder()
                    .setConversationId(conversation).setUpToSeq(1)).build());
            assertEquals(second.getSeq(), bobBrowser.answerTo(9).getReadReceipt().getUpToSeq(),
                    "the read position never moves back");
        }
    }
}
