package im.client.sdk;

import com.google.protobuf.ByteString;
import im.protocol.client.Deliver;
import im.protocol.client.Error;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.GroupEvent;
import im.protocol.client.Message;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group sends, deliveries and cursors: the private chat's machinery with a group target. */
class GroupMessagingTest {

    private static final long GROUP = 7;
    private static final String G = "g:7";
    private static final String P = "p:1:2";

    private ScriptedPushServer server;
    private ImClient client;
    private final List<Message> shown = new CopyOnWriteArrayList<>();

    private final ImClient.Listener listener = new ImClient.Listener() {
        @Override
        public void onMessage(Message m) {
            shown.add(m);
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

    private void start(ScriptedPushServer.Transport transport, Duration gapGrace) throws Exception {
        server = new ScriptedPushServer(transport);
        client = ImClient.builder().endpoint(server.endpoint()).accessToken("token-1").deviceId("laptop")
                .listener(listener).gapGrace(gapGrace)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        CompletableFuture<?> hello = client.connect();
        server.acceptHello(1);
        hello.get(10, TimeUnit.SECONDS);
    }

    private Frame nextSend() throws InterruptedException {
        Frame f = server.nextNonPing();
        assertEquals(Frame.BodyCase.SEND, f.getBodyCase(), () -> "expected a Send, got " + f);
        return f;
    }

    private static Frame ackOf(Frame send, String conversation, long seq) {
        return Frame.newBuilder().setRequestId(send.getRequestId()).setSendAck(SendAck.newBuilder()
                .setClientMsgId(send.getSend().getClientMsgId()).setConversationId(conversation).setSeq(seq)
                .setMsgId(5000 + seq)).build();
    }

    private static Message groupMessage(long seq, long sender) {
        return Message.newBuilder().setConversationId(G).setSeq(seq).setMsgId(1000 + seq).setSenderId(sender)
                .setBody(ByteString.copyFromUtf8("m" + seq)).build();
    }

    private static Message joined(long seq, long userId) {
        return Message.newBuilder().setConversationId(G).setSeq(seq).setMsgId(1000 + seq).setSenderId(userId)
                .setGroupEvent(GroupEvent.newBuilder().setKind(GroupEvent.Kind.JOINED).addUserIds(userId)).build();
    }

    private static Frame deliver(Message m) {
        return Frame.newBuilder().setDeliver(Deliver.newBuilder().setMessage(m)).build();
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void groupSend_goesOutWithTheGroupId_andCompletesWithItsAck(ScriptedPushServer.Transport transport)
            throws Exception {
        start(transport, Duration.ofSeconds(30));
        CompletableFuture<SendAck> ack = client.sendToGroup(GROUP, "hi all".getBytes());
        Frame send = nextSend();
        assertEquals(Send.TargetCase.GROUP_ID, send.getSend().getTargetCase());
        assertEquals(GROUP, send.getSend().getGroupId());
        assertEquals("hi all", send.getSend().getBody().toStringUtf8());
        assertEquals(1, send.getSend().getClientSeq());
        server.write(ackOf(send, G, 1));
        assertEquals(G, ack.get(10, TimeUnit.SECONDS).getConversationId());
        assertEquals(Map.of(G, 1L), client.cursors(), "the user's own acked group send is held");
        assertEquals(0, client.outboxSize());
    }

    @Test
    void groupAndPrivateSendsAreNumberedApart_andRenumberingOneLeavesTheOther() throws Exception {
        start(ScriptedPushServer.Transport.TCP, Duration.ofSeconds(30));
        CompletableFuture<SendAck> toPeer = client.send(2, "p".getBytes());
        CompletableFuture<SendAck> first = client.sendToGroup(GROUP, "g1".getBytes());
        CompletableFuture<SendAck> second = client.sendToGroup(GROUP, "g2".getBytes());
        Frame p = nextSend();
        Frame g1 = nextSend();
        Frame g2 = nextSend();
        assertEquals(1, p.getSend().getClientSeq());
        assertEquals(List.of(1L, 2L), List.of(g1.getSend().getClientSeq(), g2.getSend().getClientSeq()));

        // The server already holds this device's group sends up to 4 (an earlier run): it asks for 5.
        server.write(Frame.newBuilder().setRequestId(g1.getRequestId()).setError(Error.newBuilder()
                .setCode(ErrorCode.OUT_OF_ORDER).setExpectedClientSeq(5)).build());
        Frame g1Again = nextSend();
        Frame g2Again = nextSend();
        assertEquals(g1.getSend().getClientMsgId(), g1Again.getSend().getClientMsgId());
        assertEquals(List.of(5L, 6L), List.of(g1Again.getSend().getClientSeq(), g2Again.getSend().getClientSeq()));
        assertEquals(GROUP, g2Again.getSend().getGroupId());

        server.write(ackOf(p, P, 1));
        server.write(ackOf(g1Again, G, 1));
        server.write(ackOf(g2Again, G, 2));
        assertEquals(P, toPeer.get(10, TimeUnit.SECONDS).getConversationId());
        assertEquals(1, first.get(10, TimeUnit.SECONDS).getSeq());
        assertEquals(2, second.get(10, TimeUnit.SECONDS).getSeq());

        client.send(2, "p2".getBytes());
        assertEquals(2, nextSend().getSend().getClientSeq(), "the private numbering went on untouched");
    }

    @Test
    void groupSendWaitingAcrossAReconnect_isWrittenAgainWithItsIdAndNumber() throws Exception {
        start(ScriptedPushServer.Transport.TCP, Duration.ofSeconds(30));
        CompletableFuture<SendAck> ack = client.sendToGroup(GROUP, "once".getBytes());
        Frame before = nextSend();
        server.closeClient();
        server.acceptHello(1);
        Frame after = nextSend();
        assertEquals(before.getSend(), after.getSend(), "same clientMsgId, group and clientSeq");
        server.write(ackOf(after, G, 1));
        assertEquals(1, ack.get(10, TimeUnit.SECONDS).getSeq());
    }

    @Test
    void refusedGroupSend_failsWithTheServersCode() throws Exception {
        start(ScriptedPushServer.Transport.TCP, Duration.ofSeconds(30));
        CompletableFuture<SendAck> ack = client.sendToGroup(GROUP, "muted?".getBytes());
        Frame send = nextSend();
        server.write(Frame.newBuilder().setRequestId(send.getRequestId()).setError(Error.newBuilder()
                .setCode(ErrorCode.PERMISSION_DENIED).setMessage("you are muted")).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> ack.get(10, TimeUnit.SECONDS));
        assertEquals(ErrorCode.PERMISSION_DENIED, assertInstanceOf(ImErrorException.class, e.getCause()).getCode());
    }

    @Test
    void sendWithoutATarget_isRefusedAtOnce() throws Exception {
        start(ScriptedPushServer.Transport.TCP, Duration.ofSeconds(30));
        CompletableFuture<SendAck> ack = client.send(Send.newBuilder().setClientMsgId("c-1")
                .setBody(ByteString.copyFromUtf8("where to?")).build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> ack.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(0, client.outboxSize());
    }

    @ParameterizedTest
    @EnumSource(ScriptedPushServer.Transport.class)
    void groupDeliveries_systemMessagesIncluded_areShownAndAcked(ScriptedPushServer.Transport transport)
            throws Exception {
        start(transport, Duration.ofSeconds(30));
        server.write(deliver(joined(1, 3)));
        Frame ack1 = server.nextNonPing();
        assertEquals(G, ack1.getDeliverAck().getConversationId());
        assertEquals(1, ack1.getDeliverAck().getSeq());
        server.write(deliver(groupMessage(2, 3)));
        assertEquals(2, server.nextNonPing().getDeliverAck().getSeq());
        await().until(() -> shown.size() == 2);
        assertTrue(shown.get(0).hasGroupEvent());
        assertEquals(GroupEvent.Kind.JOINED, shown.get(0).getGroupEvent().getKind());
        assertEquals("m2", shown.get(1).getBody().toStringUtf8());
        assertEquals(Map.of(G, 2L), client.cursors());
    }

    @Test
    void memberThatJoinedLate_getsItsCursorPastTheSeqsBeforeItsJoining() throws Exception {
        start(ScriptedPushServer.Transport.TCP, Duration.ofMillis(20));
        server.write(deliver(groupMessage(51, 3)));
        assertEquals(51, server.nextNonPing().getDeliverAck().getSeq());

        // Seq 51 with nothing held below: a gap, filled by syncing from 0. The server pages from
        // the member's joining (first_seq 50): 1..49 are none of this device's to wait for.
        Frame sync = server.nextNonPing();
        assertEquals(G, sync.getSyncRequest().getConversationId());
        assertEquals(0, sync.getSyncRequest().getAfterSeq());
        server.write(Frame.newBuilder().setRequestId(sync.getRequestId()).setSyncPage(SyncPage.newBuilder()
                .setConversationId(G).addMessages(joined(50, 1)).addMessages(groupMessage(51, 3))
                .setHasMore(false).setLastSeq(51).setFirstSeq(50)).build());
        Frame ack = server.nextNonPing();
        assertEquals(G, ack.getDeliverAck().getConversationId());
        assertEquals(51, ack.getDeliverAck().getSeq(), "the device now holds the group up to 51");
        await().until(() -> client.cursors().equals(Map.of(G, 51L)));
        await().until(() -> shown.size() == 2);
        assertEquals(List.of(51L, 50L), shown.stream().map(Message::getSeq).toList());
    }

    @Test
    void catchUpPageFromTheJoin_needsNoSyncForTheSeqsBeforeIt() throws Exception {
        start(ScriptedPushServer.Transport.TCP, Duration.ofMillis(20));
        server.write(Frame.newBuilder().setSyncPage(SyncPage.newBuilder().setConversationId(G)
                .addMessages(joined(50, 1)).addMessages(groupMessage(51, 3))
                .setHasMore(false).setLastSeq(51).setFirstSeq(50)).build());
        Frame ack = server.nextNonPing();
        assertEquals(51, ack.getDeliverAck().getSeq());
        assertEquals(Map.of(G, 51L), client.cursors(), "no gap below 50, so nothing to sync for 1..49");
        await().until(() -> shown.size() == 2);
    }
}
