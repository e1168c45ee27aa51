package im.push.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.retry.DeviceKey;
import im.inprocess.presence.InProcessPresenceRegistry;
import im.inprocess.retry.InProcessPendingAcks;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.HelloOk;
import im.protocol.client.Message;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Typing;
import im.protocol.delivery.DeliveryEvent;
import im.protocol.delivery.SessionReplaced;
import im.push.PushConfig;
import im.push.connection.ConnectionConfig;
import im.push.retry.DeliveryRetries;
import im.push.retry.ManualRetryScheduler;
import im.push.retry.TestRetryConfig;
import im.push.session.Session;
import im.push.session.SessionRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalDeliveryHandlerTest {

    private final PushConfig push = new PushConfig() {
        @Override
        public String nodeId() {
            return "push-7";
        }

        @Override
        public int maxFrameBytes() {
            return 65536;
        }

        @Override
        public int maxConnections() {
            return 100;
        }

        @Override
        public Duration heartbeatInterval() {
            return Duration.ofSeconds(30);
        }
    };

    private final ConnectionConfig connection = new ConnectionConfig() {
        @Override
        public int writeBufferLowWater() {
            return 32 * 1024;
        }

        @Override
        public int writeBufferHighWater() {
            return 64 * 1024;
        }

        @Override
        public Duration unwritableCloseAfter() {
            return Duration.ofSeconds(30);
        }

        @Override
        public int maxPendingWriteBytes() {
            return 1024 * 1024;
        }

        @Override
        public Duration drainJitter() {
            return Duration.ofSeconds(5);
        }
    };

    private final SessionRegistry sessions = new SessionRegistry(push);
    private final InProcessPendingAcks pending = new InProcessPendingAcks(8);
    private final DeliveryRetries retries = new DeliveryRetries(TestRetryConfig.of(3, 8), pending,
            new ManualRetryScheduler(), new InProcessPresenceRegistry(), event -> {
            }, Runnable::run, "push-7");
    private final LocalDeliveryHandler handler = new LocalDeliveryHandler(push, connection, sessions, retries);
    private long epochs;

    /** A device whose HelloOk has gone out (and been read by the device). */
    private EmbeddedChannel device(long user, String deviceId) {
        EmbeddedChannel channel = new EmbeddedChannel();
        Session session = new Session(channel, user, deviceId, ++epochs, "token");
        sessions.register(session);
        session.greet(helloOk());
        channel.readOutbound();
        return channel;
    }

    private static Frame helloOk() {
        return Frame.newBuilder().setRequestId(1).setHelloOk(HelloOk.getDefaultInstance()).build();
    }

    private static DeliveryEvent.Builder message(long... users) {
        DeliveryEvent.Builder event = DeliveryEvent.newBuilder().setNodeId("push-7")
                .setMessage(Message.newBuilder().setMsgId(42).setConversationId("p:1:2").setSeq(3));
        for (long user : users) {
            event.addUserIds(user);
        }
        return event;
    }

    @Test
    void messageReachesEveryLocalDeviceOfItsUsersExceptTheSendingDevice() {
        EmbeddedChannel senderPhone = device(1, "phone");
        EmbeddedChannel senderLaptop = device(1, "laptop");
        EmbeddedChannel receiver = device(2, "phone");

        handler.onDelivery(message(1, 2).setExceptUserId(1).setExceptDeviceId("phone").build());

        assertNull(senderPhone.readOutbound());
        assertEquals(42, ((Frame) senderLaptop.readOutbound()).getDeliver().getMessage().getMsgId());
        assertEquals(42, ((Frame) receiver.readOutbound()).getDeliver().getMessage().getMsgId());
    }

    @Test
    void retransmissionGoesToItsTargetDeviceOnlyWithItsAttempt() {
        EmbeddedChannel phone = device(2, "phone");
        EmbeddedChannel laptop = device(2, "laptop");

        handler.onDelivery(message(2).setTargetDeviceId("laptop").setAttempt(2).build());

        assertNull(phone.readOutbound());
        assertEquals(2, ((Frame) laptop.readOutbound()).getDeliver().getAttempt());
    }

    @Test
    void usersWithoutLocalSessionsAreSkipped() {
        EmbeddedChannel receiver = device(2, "phone");

        handler.onDelivery(message(3, 2).build());

        assertEquals(List.of(3L), List.of(((Frame) receiver.readOutbound()).getDeliver().getMessage().getSeq()));
        assertEquals("push-7", handler.nodeId());
    }

    @Test
    void writtenMessageIsPendingUntilAcknowledgedButReceiptsAreNot() {
        device(2, "phone");

        handler.onDelivery(message(2).build());
        handler.onDelivery(DeliveryEvent.newBuilder().setNodeId("push-7").addUserIds(2)
                .setReadReceipt(ReadReceipt.newBuilder().setConversationId("p:1:2").setReaderId(1).setUpToSeq(3))
                .build());
        handler.onDelivery(DeliveryEvent.newBuilder().setNodeId("push-7").addUserIds(2)
                .setDeliveryReceipt(DeliveryReceipt.newBuilder().setConversationId("p:1:2").setRecipientId(1)
                        .setUpToSeq(3))
                .build());

        assertEquals(1, pending.size(new DeviceKey(2, "phone")).toCompletableFuture().join());
        assertEquals(0, pending.find(new DeviceKey(2, "phone"), "p:1:2", 3).toCompletableFuture().join()
                .orElseThrow().attempt());
    }

    @Test
    void typingReachesTheNamedUsersDevicesAsATypingFrame_andIsNotPending() {
        EmbeddedChannel phone = device(2, "phone");
        EmbeddedChannel laptop = device(2, "laptop");
        Typing typing = Typing.newBuilder().setConversationId("p:1:2").setUserId(1).setTyping(true).build();

        handler.onDelivery(DeliveryEvent.newBuilder().setNodeId("push-7").addUserIds(2).setTyping(typing).build());

        for (EmbeddedChannel device : List.of(phone, laptop)) {
            Frame frame = device.readOutbound();
            assertEquals(0, frame.getRequestId());
            assertEquals(typing, frame.getTyping());
        }
        assertEquals(0, pending.size(new DeviceKey(2, "phone")).toCompletableFuture().join());
    }

    @Test
    void deliveryBeforeHelloOkIsHeldAndFollowsIt() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Session session = new Session(channel, 2, "phone", ++epochs, "token");
        sessions.register(session);

        handler.onDelivery(message(2).build());
        assertNull(channel.readOutbound());
        session.greet(helloOk());

        assertEquals(Frame.BodyCase.HELLO_OK, ((Frame) channel.readOutbound()).getBodyCase());
        assertEquals(Frame.BodyCase.DELIVER, ((Frame) channel.readOutbound()).getBodyCase());
    }

    @Test
    void sessionReplacedElsewhereClosesOnlyTheOlderSessionOfThatDevice() {
        EmbeddedChannel phone = device(2, "phone");
        EmbeddedChannel laptop = device(2, "laptop");
        long newerEpoch = epochs + 1;

        handler.onDelivery(DeliveryEvent.newBuilder().setNodeId("push-7")
                .setSessionReplaced(SessionReplaced.newBuilder().setUserId(2).setDeviceId("phone").setEpoch(newerEpoch))
                .build());

        Frame told = phone.readOutbound();
        assertEquals(ErrorCode.SESSION_REPLACED, told.getError().getCode());
        assertTrue(sessions.sessionsOf(2).stream().filter(s -> s.deviceId().equals("phone"))
                .allMatch(Session::isReplacedElsewhere), "its end leaves the device's pending deliveries alone");
        assertFalse(phone.isOpen());
        assertTrue(laptop.isOpen());
        assertNull(laptop.readOutbound());
    }

    @Test
    void sessionReplacedByAnOlderEpochLeavesTheNewerSessionOpen() {
        EmbeddedChannel phone = device(2, "phone");

        handler.onDelivery(DeliveryEvent.newBuilder().setNodeId("push-7")
                .setSessionReplaced(SessionReplaced.newBuilder().setUserId(2).setDeviceId("phone").setEpoch(epochs - 1))
                .build());

        assertNull(phone.readOutbound());
        assertTrue(phone.isOpen());
    }
}
