package im.client.sdk;

import com.google.protobuf.ByteString;
import im.protocol.client.Deliver;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.Error;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.Pong;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Receipts;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.client.SyncPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reconnect, outbox, send numbering and receipts, against a scripted peer over real sockets. */
class ReliableDeliveryTest {

    private static final String C = "p:1:2";
    private static final long PEER = 2;

    private ScriptedPushServer server;
    private ImClient client;
    private final List<Message> shown = new CopyOnWriteArrayList<>();
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    private final List<Object> disconnects = new CopyOnWriteArrayList<>();
    private final List<DeliveryReceipt> deliveryReceipts = new CopyOnWriteArrayList<>();

    private final ImClient.Listener listener = new ImClient.Listener() {
        @Override
        public void onMessage(Message m) {
            shown.add(m);
        }

        @Override
        public void onConnectionState(ConnectionState state) {
            states.add(state);
        }

        @Override
        public void onDeliveryReceipt(DeliveryReceipt receipt) {
            deliveryReceipts.add(receipt);
        }

        @Override
        public void onDisconnected(Throwable cause) {
            disconnects.add(cause == null ? "closed by us" : cause);
        }
    };

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(ScriptedPushServer.Transport transport, Consumer<ImClient.Builder> settings) throws Exception {
        server = new ScriptedPushServer(transport);
        ImClient.Builder b = ImClient.builder().endpoint(server.endpoint()).accessToken("token-1").deviceId("laptop")
                .listener(listener).gapGrace(Duration.ofSeconds(30))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
        settings.accept(b);
        client = b.build();
        CompletableFuture<?> hello = client.connect();
        server.acceptHello(1);
        hello.get(10, TimeUnit.SECONDS);
    }

    private void start() throws Exception {
        start(ScriptedPushServer.Transport.TCP, b -> { });
    }

    private static Message message(long seq) {
        return Message.newBuilder().setConversationId(C).setSeq(seq).setMsgId(1000 + seq).setSenderId(PEER)
                .setBody(ByteString.copyFromUtf8("m" + seq)).build();
    }

    private static Frame ackOf(Frame send, long seq) {
        return Frame.newBuilder().setRequestId(send.getRequestId()).setSendAck(SendAck.newBuilder()
                .setClientMsgId(send.getSend().getClientMsgId()).setConversationId(C).setSeq(seq)
                .setMsgId(5000 + seq)).build();
    }

    private static Frame refusal(Frame send, ErrorCode code, long expected) {
        return Frame.newBuilder().setRequestId(send.getRequestId()).setError(Error.newBuilder()
                .setCode(code).setExpectedClientSeq(expected)).build();
    }

    private Frame nextSend() throws InterruptedException {
        Frame f = server.nextNonPing();
        assertEquals(Frame.BodyCase.SEND, f.getBodyCase(), () -> "expected a Send, got " + f);
        return f;
    }

    /** Proves nothing else was sent before: the next frame is the answer-seeking Ping of a round trip. */
    private void assertNothingMoreSent() throws Exception {
        CompletableFuture<Pong> pong = client.ping();
        Frame ping = server.nextNonPing();
        assertEquals(Frame.BodyCase.PING, ping.getBodyCase(), () -> "unexpected frame " + ping);
        server.write(Frame.newBuilder().setRequestId(ping.getRequestId()).setPong(Pong.getDefaultInstance()).build());
        pong.get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<SendAck> send(String text) {
        return client.send(PEER, text.getBytes());
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void droppedConnectionIsReestablishedAndHelloCarriesTheCursors(ScriptedPushServer.Transport transport)
            throws Exception {
        start(transport, b -> { });
        server.write(Frame.newBuilder().setDeliver(Deliver.newBuilder().setMessage(message(1))).build());
        server.write(Frame.newBuilder().setDeliver(Deliver.newBuilder().setMessage(message(2))).build());
        assertEquals(1, server.nextNonPing().getDeliverAck().getSeq());
        assertEquals(2, server.nextNonPing().getDeliverAck().getSeq());

        server.closeClient();
        Frame hello = server.acceptHello(1);
        assertEquals(Map.of(C, 2L), hello.getHello().getCursorsList().stream()
                .collect(Collectors.toMap(c -> c.getConversationId(), c -> c.getLastSeq())));
        assertEquals("token-1", hello.getHello().getAccessToken());
        await().until(() -> client.isConnected());
        await().until(() -> states.equals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
                ConnectionState.RECONNECTING, ConnectionState.CONNECTED)));
        assertTrue(disconnects.isEmpty(), "a reconnect is not a disconnect");
        assertEquals(2, server.connections());
    }

    @Test
    void reconnectKeepsTryingWhileHelloIsRefusedForAWhile() throws Exception {
        start();
        server.closeClient();
        // The first reconnect's Hello is refused for a passing reason; the client tries again.
        Frame unanswered = server.nextNonPing();
        assertEquals(Frame.BodyCase.HELLO, unanswered.getBodyCase());
        server.write(refusal(unanswered, ErrorCode.UNAVAILABLE, 0));
        server.acceptHello(1);
        await().until(() -> client.isConnected());
        assertEquals(3, server.connections());
        assertTrue(disconnects.isEmpty());
    }

    @Test
    void ownSendArrivingStoredBeforeItsAckCompletesTheSendAndIsNotShownAgain() throws Exception {
        start();
        CompletableFuture<SendAck> a = send("a");
        Frame sent = nextSend();
        Message stored = Message.newBuilder().setConversationId(C).setSeq(1).setMsgId(77).setSenderId(1)
                .setSenderDeviceId("laptop").setClientMsgId(sent.getSend().getClientMsgId())
                .setBody(sent.getSend().getBody()).build();
        // The SendAck was lost; the stored message comes back as a catch-up page.
        server.write(Frame.newBuilder().setSyncPage(SyncPage.newBuilder().setConversationId(C)
                .addMessages(stored).setLastSeq(1)).build());

        SendAck ack = a.get(10, TimeUnit.SECONDS);
        assertEquals(77, ack.getMsgId());
        assertEquals(1, ack.getSeq());
        assertEquals(0, client.outboxSize());
        Frame pageAck = server.nextNonPing();
        assertEquals(Frame.BodyCase.DELIVER_ACK, pageAck.getBodyCase(), () -> "unexpected frame " + pageAck);
        assertNothingMoreSent();
        assertTrue(shown.isEmpty(), () -> "own send shown again: " + shown);
    }

    @Test
    void ownMessageFromAnEarlierRunIsShownAsHistory() throws Exception {
        start();
        Message earlier = Message.newBuilder().setConversationId(C).setSeq(1).setMsgId(76).setSenderId(1)
                .setSenderDeviceId("laptop").setClientMsgId("sent-before-a-restart")
                .setBody(ByteString.copyFromUtf8("old")).build();
        server.write(Frame.newBuilder().setDeliver(Deliver.newBuilder().setMessage(earlier)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> shown.size() == 1);
        assertEquals(76, shown.get(0).getMsgId());
    }

    @Test
    void unackedSendsAreResentAfterReconnectWithTheSameIdsAndNumbersAndCompleteOnce() throws Exception {
        start();
        CompletableFuture<SendAck> a = send("a");
        CompletableFuture<SendAck> b = send("b");
        Frame a1 = nextSend();
        Frame b1 = nextSend();
        assertEquals(List.of(1L, 2L), List.of(a1.getSend().getClientSeq(), b1.getSend().getClientSeq()));

        server.closeClient();
        server.acceptHello(1);
        Frame a2 = nextSend();
        Frame b2 = nextSend();
        assertEquals(a1.getSend().getClientMsgId(), a2.getSend().getClientMsgId());
        assertEquals(b1.getSend().getClientMsgId(), b2.getSend().getClientMsgId());
        assertEquals(List.of(1L, 2L), List.of(a2.getSend().getClientSeq(), b2.getSend().getClientSeq()));
        assertEquals(a1.getSend().getBody(), a2.getSend().getBody());
        assertFalse(a.isDone());

        server.write(ackOf(a2, 7));
        server.write(ackOf(a2, 7));
        server.write(ackOf(b2, 8));
        assertEquals(7, a.get(10, TimeUnit.SECONDS).getSeq());
        assertEquals(8, b.get(10, TimeUnit.SECONDS).getSeq());
        assertNothingMoreSent();
        assertEquals(0, client.outboxSize());
        send("c");
        assertEquals(3, nextSend().getSend().getClientSeq());
    }

    @Test
    void sendWhileReconnectingWaitsInTheOutboxAndBeyondItsBoundFailsAtOnce() throws Exception {
        start(ScriptedPushServer.Transport.TCP, b -> b.maxOutbox(2));
        server.closeClient();
        Frame hello = server.nextNonPing();
        assertEquals(Frame.BodyCase.HELLO, hello.getBodyCase());
        assertEquals(ConnectionState.RECONNECTING, client.state());

        CompletableFuture<SendAck> x = send("x");
        CompletableFuture<SendAck> y = send("y");
        ExecutionException full = assertThrows(ExecutionException.class,
                () -> send("z").get(10, TimeUnit.SECONDS));
        assertInstanceOf(OutboxFullException.class, full.getCause());

        server.write(Frame.newBuilder().setRequestId(hello.getRequestId()).setHelloOk(
                im.protocol.client.HelloOk.newBuilder().setUserId(1)).build());
        Frame xs = nextSend();
        Frame ys = nextSend();
        assertEquals("x", xs.getSend().getBody().toStringUtf8());
        assertEquals(List.of(1L, 2L), List.of(xs.getSend().getClientSeq(), ys.getSend().getClientSeq()));
        server.write(ackOf(xs, 1));
        server.write(ackOf(ys, 2));
        assertEquals(2, y.get(10, TimeUnit.SECONDS).getSeq());
        assertEquals(1, x.get(10, TimeUnit.SECONDS).getSeq());
    }

    @Test
    void serverAheadOfTheNumberingIsAdoptedAndEachSendGoesAgainOnce() throws Exception {
        start();
        List<CompletableFuture<SendAck>> acks = List.of(send("a"), send("b"), send("c"));
        List<Frame> first = List.of(nextSend(), nextSend(), nextSend());
        // As after an app restart: the server has stored this device's sends up to 7.
        for (Frame f : first) {
            server.write(refusal(f, ErrorCode.OUT_OF_ORDER, 8));
        }
        List<Frame> again = List.of(nextSend(), nextSend(), nextSend());
        assertEquals(List.of(8L, 9L, 10L), again.stream().map(f -> f.getSend().getClientSeq()).toList());
        assertEquals(first.stream().map(f -> f.getSend().getClientMsgId()).toList(),
                again.stream().map(f -> f.getSend().getClientMsgId()).toList(), "original order and ids");
        assertNothingMoreSent();
        for (int i = 0; i < 3; i++) {
            server.write(ackOf(again.get(i), 20 + i));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(20 + i, acks.get(i).get(10, TimeUnit.SECONDS).getSeq());
        }
        send("d");
        assertEquals(11, nextSend().getSend().getClientSeq());
    }

    @Test
    void serverBehindTheNumberingGetsTheWaitingSendsFromItsExpectedNumber() throws Exception {
        start();
        CompletableFuture<SendAck> a = send("a");
        CompletableFuture<SendAck> b = send("b");
        CompletableFuture<SendAck> c = send("c");
        Frame a1 = nextSend();
        Frame b1 = nextSend();
        Frame c1 = nextSend();
        // a is refused for good, so number 1 was never stored; b and c are ahead of it.
        server.write(refusal(a1, ErrorCode.NOT_FRIENDS, 0));
        server.write(refusal(b1, ErrorCode.OUT_OF_ORDER, 1));
        server.write(refusal(c1, ErrorCode.OUT_OF_ORDER, 1));
        ExecutionException refused = assertThrows(ExecutionException.class, () -> a.get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.NOT_FRIENDS, ((ImErrorException) refused.getCause()).getCode());

        Frame b2 = nextSend();
        Frame c2 = nextSend();
        assertEquals(b1.getSend().getClientMsgId(), b2.getSend().getClientMsgId());
        assertEquals(c1.getSend().getClientMsgId(), c2.getSend().getClientMsgId());
        assertEquals(List.of(1L, 2L), List.of(b2.getSend().getClientSeq(), c2.getSend().getClientSeq()));
        assertNothingMoreSent();
        server.write(ackOf(b2, 1));
        server.write(ackOf(c2, 2));
        assertEquals(1, b.get(10, TimeUnit.SECONDS).getSeq());
        assertEquals(2, c.get(10, TimeUnit.SECONDS).getSeq());
    }

    @Test
    void repeatOfAnAcknowledgedSendKeepsItsNumber() throws Exception {
        start();
        Send send = Send.newBuilder().setClientMsgId(UUID.randomUUID().toString()).setToUserId(PEER)
                .setBody(ByteString.copyFromUtf8("once")).build();
        CompletableFuture<SendAck> first = client.send(send);
        Frame f1 = nextSend();
        server.write(ackOf(f1, 3));
        first.get(10, TimeUnit.SECONDS);
        CompletableFuture<SendAck> again = client.send(send);
        Frame f2 = nextSend();
        assertEquals(1, f2.getSend().getClientSeq());
        server.write(ackOf(f2, 3));
        assertEquals(first.get(), again.get(10, TimeUnit.SECONDS));
        send("next");
        assertEquals(2, nextSend().getSend().getClientSeq());
    }

    @Test
    void withoutNumberingSendsCarryNoClientSeq() throws Exception {
        start(ScriptedPushServer.Transport.TCP, b -> b.numberSends(false));
        send("a");
        assertEquals(0, nextSend().getSend().getClientSeq());
    }

    @Test
    void ownMessageStatusFollowsThePeersReceiptsButNotTheUsersOwnReads() throws Exception {
        start();
        CompletableFuture<SendAck> a = send("a");
        server.write(ackOf(nextSend(), 5));
        assertEquals(5, a.get(10, TimeUnit.SECONDS).getSeq());
        assertEquals(MessageStatus.SENT, client.statusOf(C, 5));

        server.write(Frame.newBuilder().setDeliveryReceipt(DeliveryReceipt.newBuilder()
                .setConversationId(C).setRecipientId(PEER).setUpToSeq(5)).build());
        await().until(() -> deliveryReceipts.size() == 1);
        assertEquals(MessageStatus.DELIVERED, client.statusOf(C, 5));
        assertEquals(MessageStatus.SENT, client.statusOf(C, 6));

        // The user's own other device read the conversation: that says nothing about the peer.
        server.write(Frame.newBuilder().setReadReceipt(ReadReceipt.newBuilder()
                .setConversationId(C).setReaderId(1).setUpToSeq(5)).build());
        server.write(Frame.newBuilder().setReadReceipt(ReadReceipt.newBuilder()
                .setConversationId(C).setReaderId(PEER).setUpToSeq(4)).build());
        await().until(() -> client.statusOf(C, 4) == MessageStatus.READ);
        assertEquals(MessageStatus.DELIVERED, client.statusOf(C, 5));

        CompletableFuture<Receipts> receipts = client.receipts(C);
        Frame get = server.nextNonPing();
        assertEquals(C, get.getGetReceipts().getConversationId());
        server.write(Frame.newBuilder().setRequestId(get.getRequestId()).setReceipts(Receipts.newBuilder()
                .setConversationId(C)
                .addDelivered(DeliveryReceipt.newBuilder().setConversationId(C).setRecipientId(PEER).setUpToSeq(9))
                .addRead(ReadReceipt.newBuilder().setConversationId(C).setReaderId(PEER).setUpToSeq(7))).build());
        assertEquals(9, receipts.get(10, TimeUnit.SECONDS).getDelivered(0).getUpToSeq());
        assertEquals(MessageStatus.READ, client.statusOf(C, 7));
        assertEquals(MessageStatus.DELIVERED, client.statusOf(C, 8));
    }

    @Test
    void readMarkMadeWhileReconnectingIsSentOnTheNextSession() throws Exception {
        start();
        client.markRead(C, 3);
        assertEquals(3, server.nextNonPing().getRead().getUpToSeq());
        server.closeClient();
        Frame hello = server.nextNonPing();
        client.markRead(C, 4);
        client.markRead(C, 6);
        client.markRead(C, 5);
        server.write(Frame.newBuilder().setRequestId(hello.getRequestId()).setHelloOk(
                im.protocol.client.HelloOk.newBuilder().setUserId(1)).build());
        Frame read = server.nextNonPing();
        assertEquals(C, read.getRead().getConversationId());
        assertEquals(6, read.getRead().getUpToSeq(), "the highest mark, once");
        assertNothingMoreSent();
    }

    @Test
    void expiredTokenIsRefreshedFromTheSupplierBeforeReconnecting() throws Exception {
        start(ScriptedPushServer.Transport.TCP,
                b -> b.tokenSupplier(() -> CompletableFuture.completedFuture("token-2")));
        server.write(Frame.newBuilder().setError(Error.newBuilder().setCode(ErrorCode.TOKEN_EXPIRED)).build());
        server.closeClient();
        assertEquals("token-2", server.acceptHello(1).getHello().getAccessToken());
        await().until(() -> client.isConnected());
        assertTrue(disconnects.isEmpty());
    }

    @Test
    void expiredTokenWithoutSupplierStopsTheClientAndFailsWaitingSends() throws Exception {
        start();
        CompletableFuture<SendAck> waiting = send("w");
        nextSend();
        server.write(Frame.newBuilder().setError(Error.newBuilder().setCode(ErrorCode.TOKEN_EXPIRED)).build());
        server.closeClient();
        await().until(() -> disconnects.size() == 1);
        assertEquals(ErrorCode.TOKEN_EXPIRED, ((ImErrorException) disconnects.get(0)).getCode());
        assertEquals(ConnectionState.DISCONNECTED, client.state());
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.TOKEN_EXPIRED, ((ImErrorException) e.getCause()).getCode());
        assertEquals(1, server.connections());
    }

    @Test
    void withoutAutoReconnectALostConnectionStopsTheClient() throws Exception {
        start(ScriptedPushServer.Transport.TCP, b -> b.autoReconnect(false));
        server.closeClient();
        await().until(() -> disconnects.size() == 1);
        assertEquals(ConnectionState.DISCONNECTED, client.state());
        assertEquals(1, server.connections());
    }
}
