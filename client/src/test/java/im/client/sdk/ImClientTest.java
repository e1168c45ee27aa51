package im.client.sdk;

import com.google.protobuf.ByteString;
import im.protocol.client.Deliver;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.HelloOk;
import im.protocol.client.Message;
import im.protocol.client.SendAck;
import im.protocol.client.SyncPage;
import im.protocol.client.Typing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK against a scripted peer over real TCP and WebSocket connections. */
class ImClientTest {

    private static final String C = "p:1:2";

    private ScriptedPushServer server;
    private ImClient client;
    private final List<Message> shown = new CopyOnWriteArrayList<>();
    private final List<Object> disconnects = new CopyOnWriteArrayList<>();
    private final List<Typing> typings = new CopyOnWriteArrayList<>();

    private final ImClient.Listener listener = new ImClient.Listener() {
        @Override
        public void onMessage(Message m) {
            shown.add(m);
        }

        @Override
        public void onTyping(Typing typing) {
            typings.add(typing);
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

    private void start(ScriptedPushServer.Transport transport, Map<String, Long> cursors, Duration timeout)
            throws Exception {
        server = new ScriptedPushServer(transport);
        client = ImClient.builder().endpoint(server.endpoint()).accessToken("token-1").deviceId("laptop")
                .listener(listener).requestTimeout(timeout).gapGrace(Duration.ofMillis(20)).cursors(cursors).build();
        CompletableFuture<HelloOk> hello = client.connect();
        Frame helloFrame = server.next();
        assertEquals("token-1", helloFrame.getHello().getAccessToken());
        assertEquals("laptop", helloFrame.getHello().getDeviceId());
        assertEquals(cursors, helloFrame.getHello().getCursorsList().stream()
                .collect(Collectors.toMap(c -> c.getConversationId(), c -> c.getLastSeq())));
        server.write(Frame.newBuilder().setRequestId(helloFrame.getRequestId())
                .setHelloOk(HelloOk.newBuilder().setUserId(1).setHeartbeatIntervalMs(30_000)).build());
        assertEquals(1, hello.get(10, TimeUnit.SECONDS).getUserId());
    }

    private static Message message(long seq) {
        return Message.newBuilder().setConversationId(C).setSeq(seq).setMsgId(1000 + seq).setSenderId(2)
                .setBody(ByteString.copyFromUtf8("m" + seq)).build();
    }

    private static Frame deliver(long seq) {
        return Frame.newBuilder().setDeliver(Deliver.newBuilder().setMessage(message(seq))).build();
    }

    private List<Long> shownSeqs() {
        return shown.stream().map(Message::getSeq).toList();
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void helloPresentsTheCursorsAndSendIsAnsweredByItsAck(ScriptedPushServer.Transport transport) throws Exception {
        start(transport, Map.of(C, 4L), Duration.ofSeconds(10));
        CompletableFuture<SendAck> ack = client.send(2, "hi".getBytes());
        Frame send = server.nextNonPing();
        assertEquals(2, send.getSend().getToUserId());
        assertEquals("hi", send.getSend().getBody().toStringUtf8());
        server.write(Frame.newBuilder().setRequestId(send.getRequestId()).setSendAck(SendAck.newBuilder()
                .setClientMsgId(send.getSend().getClientMsgId()).setConversationId(C).setSeq(5).setMsgId(99)).build());
        assertEquals(5, ack.get(10, TimeUnit.SECONDS).getSeq());
        assertEquals(Map.of(C, 5L), client.cursors(), "the user's own acked send is held");
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void serverErrorFailsTheRequestWithItsCode(ScriptedPushServer.Transport transport) throws Exception {
        start(transport, Map.of(), Duration.ofSeconds(10));
        CompletableFuture<SendAck> ack = client.send(3, "hi".getBytes());
        Frame send = server.nextNonPing();
        server.write(Frame.newBuilder().setRequestId(send.getRequestId()).setError(im.protocol.client.Error.newBuilder()
                .setCode(ErrorCode.NOT_FRIENDS).setMessage("not friends")).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> ack.get(10, TimeUnit.SECONDS));
        ImErrorException error = assertInstanceOf(ImErrorException.class, e.getCause());
        assertEquals(ErrorCode.NOT_FRIENDS, error.getCode());
        assertEquals("not friends", error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void repeatedDeliverIsShownOnceButAckedEachTime(ScriptedPushServer.Transport transport) throws Exception {
        start(transport, Map.of(), Duration.ofSeconds(10));
        server.write(deliver(1));
        assertEquals(1, server.nextNonPing().getDeliverAck().getSeq());
        server.write(deliver(1));
        assertEquals(1001, server.nextNonPing().getDeliverAck().getMsgId());
        assertEquals(List.of(1L), shownSeqs());
        assertEquals(Map.of(C, 1L), client.cursors());
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void unsolicitedPagesAreShownInOrderAndEachIsAckedWithItsLastSeq(ScriptedPushServer.Transport transport)
            throws Exception {
        start(transport, Map.of(), Duration.ofSeconds(10));
        server.write(Frame.newBuilder().setSyncPage(SyncPage.newBuilder().setConversationId(C)
                .addMessages(message(1)).addMessages(message(2)).setHasMore(true).setLastSeq(3)).build());
        Frame ack = server.nextNonPing();
        assertEquals(C, ack.getDeliverAck().getConversationId());
        assertEquals(2, ack.getDeliverAck().getSeq(), "the page's last seq; the server sends the next page");
        assertEquals(List.of(1L, 2L), shownSeqs(), "acknowledged only after the listener had the page");
        server.write(Frame.newBuilder().setSyncPage(SyncPage.newBuilder()
                .setConversationId(C).addMessages(message(3)).setHasMore(false).setLastSeq(3)).build());
        assertEquals(3, server.nextNonPing().getDeliverAck().getSeq());
        await().until(() -> shown.size() == 3);
        assertEquals(List.of(1L, 2L, 3L), shownSeqs());
        assertEquals(Map.of(C, 3L), client.cursors());
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void seqGapIsFilledBySyncingFromTheCursor(ScriptedPushServer.Transport transport) throws Exception {
        start(transport, Map.of(), Duration.ofSeconds(10));
        server.write(deliver(1));
        server.nextNonPing();
        server.write(deliver(3));
        server.nextNonPing();
        Frame sync = server.nextNonPing();
        assertEquals(1, sync.getSyncRequest().getAfterSeq());
        server.write(Frame.newBuilder().setRequestId(sync.getRequestId()).setSyncPage(SyncPage.newBuilder()
                .setConversationId(C).addMessages(message(2)).addMessages(message(3)).setLastSeq(3)).build());
        await().until(() -> shown.size() == 3);
        assertEquals(List.of(1L, 3L, 2L), shownSeqs(), "each message once, in arrival order");
        assertEquals(Map.of(C, 3L), client.cursors());
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void typingGoesOutOnceForABurstOfKeystrokes_itsStopAlways_andAPeersTypingReachesTheListener(
            ScriptedPushServer.Transport transport) throws Exception {
        start(transport, Map.of(), Duration.ofSeconds(10));
        for (int keystroke = 0; keystroke < 5; keystroke++) {
            client.typing(C, true);
        }
        client.typing(C, false);
        client.sync(C, 0, 10);

        Frame start = server.nextNonPing();
        assertEquals(Typing.newBuilder().setConversationId(C).setTyping(true).build(), start.getTyping());
        assertEquals(0, start.getRequestId(), "fire and forget");
        assertEquals(Typing.newBuilder().setConversationId(C).setTyping(false).build(), server.nextNonPing().getTyping());
        assertEquals(Frame.BodyCase.SYNC_REQUEST, server.nextNonPing().getBodyCase(), "the repeats were not sent");

        Typing peer = Typing.newBuilder().setConversationId(C).setUserId(2).setTyping(true).build();
        server.write(Frame.newBuilder().setTyping(peer).build());
        await().until(() -> typings.size() == 1);
        assertEquals(peer, typings.get(0));
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void unansweredRequestTimesOut(ScriptedPushServer.Transport transport) throws Exception {
        start(transport, Map.of(), Duration.ofMillis(200));
        CompletableFuture<SyncPage> page = client.sync(C, 0, 10);
        ExecutionException e = assertThrows(ExecutionException.class, () -> page.get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void replacedSessionIsReportedWithItsCodeAndCloseByUsWithNone(ScriptedPushServer.Transport transport)
            throws Exception {
        start(transport, Map.of(), Duration.ofSeconds(10));
        server.write(Frame.newBuilder().setError(im.protocol.client.Error.newBuilder()
                .setCode(ErrorCode.SESSION_REPLACED)).build());
        server.closeClient();
        await().until(() -> disconnects.size() == 1);
        assertEquals(ErrorCode.SESSION_REPLACED, ((ImErrorException) disconnects.get(0)).getCode());

        CompletableFuture<HelloOk> again = client.connect();
        Frame hello = server.next();
        server.write(Frame.newBuilder().setRequestId(hello.getRequestId()).setHelloOk(HelloOk.newBuilder().setUserId(1)).build());
        again.get(10, TimeUnit.SECONDS);
        assertTrue(client.isConnected());
        client.close();
        await().until(() -> disconnects.size() == 2);
        assertEquals("closed by us", disconnects.get(1));
        assertNull(client.helloOk());
    }
}
