package im.push.end2end;

import static im.push.end2end.TestUsers.befriend;
import static im.push.end2end.TestUsers.sendAck;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.presence.PresenceRegistry;
import im.common.testing.TestTokens;
import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationCursor;
import im.protocol.client.DeliverAck;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.Ping;
import im.protocol.client.Read;
import im.protocol.client.Reauthenticate;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.client.SyncPage;
import im.protocol.client.SyncRequest;
import im.protocol.user.UserDirectoryGrpc;
import im.push.end2end.TestUsers.User;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The push edge in a real app: real sockets (TCP and WebSocket) in front, the real router, user
 * directory and leaf behind it, real MariaDB under them, real signed tokens.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class PushEndToEndTest {

    private static final int TCP_PORT = 17005;
    private static final int WS_PORT = 17006;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private User newUser() {
        return TestUsers.create(users, "push-user");
    }

    @Inject
    PresenceRegistry presence;

    private static Frame send(long requestId, String clientMsgId, long to, String text) {
        return Frame.newBuilder().setRequestId(requestId).setSend(Send.newBuilder()
                .setClientMsgId(clientMsgId).setToUserId(to)
                .setBody(ByteString.copyFrom(text, StandardCharsets.UTF_8))).build();
    }

    private static Frame deliverAck(Message message) {
        return Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                .setConversationId(message.getConversationId()).setSeq(message.getSeq())
                .setMsgId(message.getMsgId())).build();
    }

    private static ErrorCode errorCode(Frame frame) {
        assertEquals(Frame.BodyCase.ERROR, frame.getBodyCase(), () -> "expected an Error, got " + frame);
        return frame.getError().getCode();
    }

    @Test
    void helloWithATokenFromAnUntrustedKeyIsUnauthenticatedAndCloses() throws Exception {
        try (TcpDevice device = new TcpDevice(TCP_PORT)) {
            Frame answer = device.hello(1, TestTokens.issueWithForeignKey(1, "mallory"), "phone");

            assertEquals(ErrorCode.UNAUTHENTICATED, errorCode(answer));
            device.awaitClosed();
        }
    }

    @Test
    void helloWithAnExpiredTokenIsTokenExpired() throws Exception {
        try (WebSocketDevice device = new WebSocketDevice(WS_PORT)) {
            Frame answer = device.hello(1, TestTokens.expired(1, "late"), "browser");

            assertEquals(ErrorCode.TOKEN_EXPIRED, errorCode(answer));
            device.awaitClosed();
        }
    }

    @Test
    void sendBeforeHelloIsAnsweredHelloRequiredAndTheConnectionStays() throws Exception {
        try (TcpDevice device = new TcpDevice(TCP_PORT)) {
            device.send(send(5, UUID.randomUUID().toString(), 1, "too early"));
            assertEquals(ErrorCode.HELLO_REQUIRED, errorCode(device.answerTo(5)));

            device.send(Frame.newBuilder().setRequestId(6).setPing(Ping.getDefaultInstance()).build());
            assertEquals(Frame.BodyCase.PONG, device.answerTo(6).getBodyCase());
            assertFalse(device.isClosed());
        }
    }

    @Test
    void connectionThatNeverSaysHelloIsClosedAfterTheHelloTimeout() throws Exception {
        try (WebSocketDevice device = new WebSocketDevice(WS_PORT)) {
            assertEquals(ErrorCode.HELLO_REQUIRED, errorCode(device.take(Frame.BodyCase.ERROR)));
            device.awaitClosed();
        }
    }

    @Test
    void invalidDeviceIdIsRefused() throws Exception {
        User user = newUser();
        try (TcpDevice device = new TcpDevice(TCP_PORT)) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, errorCode(device.hello(1, user.token(), "no spaces allowed")));
        }
    }

    @Test
    void messageFromTcpReachesAFriendOnWebSocketAndTheReplyComesBack() throws Exception {
        User alice = newUser();
        User bob = newUser();
        befriend(alice, bob);
        try (TcpDevice aliceTcp = new TcpDevice(TCP_PORT); WebSocketDevice bobWs = new WebSocketDevice(WS_PORT)) {
            Frame aliceOk = aliceTcp.hello(1, alice.token(), "alice-phone");
            assertEquals(alice.id(), aliceOk.getHelloOk().getUserId());
            assertEquals("push-0", aliceOk.getHelloOk().getNodeId());
            assertEquals(bob.id(), bobWs.hello(1, bob.token(), "bob-browser").getHelloOk().getUserId());

            String clientMsgId = UUID.randomUUID().toString();
            aliceTcp.send(send(10, clientMsgId, bob.id(), "hello bob"));
            SendAck ack = sendAck(aliceTcp.answerTo(10));
            assertEquals(clientMsgId, ack.getClientMsgId());

            Message delivered = bobWs.take(Frame.BodyCase.DELIVER).getDeliver().getMessage();
            assertEquals(ack.getMsgId(), delivered.getMsgId());
            assertEquals(ack.getSeq(), delivered.getSeq());
            assertEquals(ack.getConversationId(), delivered.getConversationId());
            assertEquals(alice.id(), delivered.getSenderId());
            assertEquals("hello bob", delivered.getBody().toStringUtf8());
            bobWs.send(deliverAck(delivered));

            bobWs.send(send(20, UUID.randomUUID().toString(), alice.id(), "hi alice"));
            SendAck reply = sendAck(bobWs.answerTo(20));
            assertEquals(ack.getSeq() + 1, reply.getSeq());
            Message replyDelivered = aliceTcp.take(Frame.BodyCase.DELIVER).getDeliver().getMessage();
            assertEquals(reply.getMsgId(), replyDelivered.getMsgId());
            assertEquals("hi alice", replyDelivered.getBody().toStringUtf8());
            aliceTcp.send(deliverAck(replyDelivered));

            aliceTcp.send(send(11, clientMsgId, bob.id(), "hello bob"));
            assertEquals(ack, sendAck(aliceTcp.answerTo(11)), "a resend answers the original ack");
        }
    }

    @Test
    void routerRefusalsReachTheDeviceWithTheirCode() throws Exception {
        User alice = newUser();
        User stranger = newUser();
        try (TcpDevice device = new TcpDevice(TCP_PORT)) {
            device.hello(1, alice.token(), "phone");

            device.send(send(2, UUID.randomUUID().toString(), stranger.id(), "hi"));

            assertEquals(ErrorCode.NOT_FRIENDS, errorCode(device.answerTo(2)));
        }
    }

    @Test
    void secondHelloOfTheSameDeviceReplacesTheFirstSession() throws Exception {
        User alice = newUser();
        User bob = newUser();
        befriend(alice, bob);
        try (TcpDevice first = new TcpDevice(TCP_PORT); WebSocketDevice second = new WebSocketDevice(WS_PORT);
                TcpDevice bobPhone = new TcpDevice(TCP_PORT)) {
            long firstEpoch = first.hello(1, alice.token(), "alice-phone").getHelloOk().getSessionEpoch();
            long secondEpoch = second.hello(1, alice.token(), "alice-phone").getHelloOk().getSessionEpoch();
            assertTrue(secondEpoch > firstEpoch);

            assertEquals(ErrorCode.SESSION_REPLACED, errorCode(first.take(Frame.BodyCase.ERROR)));
            first.awaitClosed();
            // the old session's close did not remove the newer one's presence
            await().atMost(TestDevice.WAIT).until(() -> presence.devices(alice.id()).stream()
                    .anyMatch(device -> device.deviceId().equals("alice-phone") && device.epoch() == secondEpoch));

            bobPhone.hello(1, bob.token(), "bob-phone");
            bobPhone.send(send(2, UUID.randomUUID().toString(), alice.id(), "still there?"));
            sendAck(bobPhone.answerTo(2));
            assertEquals("still there?",
                    second.take(Frame.BodyCase.DELIVER).getDeliver().getMessage().getBody().toStringUtf8());
        }
    }

    @Test
    void reconnectWithACursorGetsTheMissedMessagesAsAnUnsolicitedSyncPage() throws Exception {
        User alice = newUser();
        User bob = newUser();
        befriend(alice, bob);
        Message first;
        try (TcpDevice alicePhone = new TcpDevice(TCP_PORT)) {
            alicePhone.hello(1, alice.token(), "alice-phone");
            try (WebSocketDevice bobBrowser = new WebSocketDevice(WS_PORT)) {
                bobBrowser.hello(1, bob.token(), "bob-browser");
                alicePhone.send(send(2, UUID.randomUUID().toString(), bob.id(), "one"));
                sendAck(alicePhone.answerTo(2));
                first = bobBrowser.take(Frame.BodyCase.DELIVER).getDeliver().getMessage();
                bobBrowser.send(deliverAck(first));
            }
            await().atMost(TestDevice.WAIT).until(() -> presence.devices(bob.id()).isEmpty());
            alicePhone.send(send(3, UUID.randomUUID().toString(), bob.id(), "two"));
            sendAck(alicePhone.answerTo(3));
            alicePhone.send(send(4, UUID.randomUUID().toString(), bob.id(), "three"));
            sendAck(alicePhone.answerTo(4));
        }

        try (WebSocketDevice bobBrowser = new WebSocketDevice(WS_PORT)) {
            bobBrowser.hello(5, bob.token(), "bob-browser", ConversationCursor.newBuilder()
                    .setConversationId(first.getConversationId()).setLastSeq(first.getSeq()).build());

            Frame unsolicited = bobBrowser.take(Frame.BodyCase.SYNC_PAGE);
            assertEquals(0, unsolicited.getRequestId());
            SyncPage page = unsolicited.getSyncPage();
            assertEquals(first.getConversationId(), page.getConversationId());
            assertEquals(List.of("two", "three"),
                    page.getMessagesList().stream().map(m -> m.getBody().toStringUtf8()).toList());
            assertEquals(List.of(first.getSeq() + 1, first.getSeq() + 2),
                    page.getMessagesList().stream().map(Message::getSeq).toList());
            assertFalse(page.getHasMore());

            bobBrowser.send(Frame.newBuilder().setRequestId(6).setSyncRequest(SyncRequest.newBuilder()
                    .setConversationId(first.getConversationId()).setAfterSeq(0)).build());
            assertEquals(3, bobBrowser.answerTo(6).getSyncPage().getMessagesCount());
        }
    }

    @Test
    void sessionRequestsOtherThanSendAreServed() throws Exception {
        User alice = newUser();
        User other = newUser();
        try (TcpDevice device = new TcpDevice(TCP_PORT)) {
            device.hello(1, alice.token(), "phone");

            assertEquals(ErrorCode.INVALID_ARGUMENT, errorCode(device.hello(2, alice.token(), "phone")),
                    "a second Hello on a live session");

            device.send(Frame.newBuilder().setRequestId(3).setReauthenticate(Reauthenticate.newBuilder()
                    .setAccessToken(TestTokens.issue(alice.id(), alice.username()))).build());
            assertEquals(Frame.BodyCase.REAUTHENTICATE_OK, device.answerTo(3).getBodyCase());

            device.send(Frame.newBuilder().setRequestId(4).setReauthenticate(Reauthenticate.newBuilder()
                    .setAccessToken(other.token())).build());
            assertEquals(ErrorCode.UNAUTHENTICATED, errorCode(device.answerTo(4)));

            device.send(Frame.newBuilder().setRequestId(5).setRead(Read.newBuilder()
                    .setConversationId("p:1:2").setUpToSeq(1)).build());
            assertEquals(ErrorCode.UNKNOWN_CONVERSATION, errorCode(device.answerTo(5)),
                    "a Read of a conversation the user is not part of");
            assertFalse(device.isClosed());
        }
    }

    @Test
    void oversizedTcpFrameIsRefusedWithFrameTooLarge() throws Exception {
        try (TcpDevice device = new TcpDevice(TCP_PORT)) {
            device.sendRaw(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}); // 2 MiB declared

            assertEquals(ErrorCode.FRAME_TOO_LARGE, errorCode(device.take(Frame.BodyCase.ERROR)));
            device.awaitClosed();
        }
    }

    @Test
    void webSocketTextMessageIsRefusedWithBadFrame() throws Exception {
        try (WebSocketDevice device = new WebSocketDevice(WS_PORT)) {
            device.sendText("{\"hello\":{}}");

            assertEquals(ErrorCode.BAD_FRAME, errorCode(device.take(Frame.BodyCase.ERROR)));
            device.awaitClosed();
        }
    }
}
