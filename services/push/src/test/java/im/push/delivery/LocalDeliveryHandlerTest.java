package im.push.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.delivery.DeliveryEvent;
import im.push.PushConfig;
import im.push.connection.ConnectionConfig;
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
    private final LocalDeliveryHandler handler = new LocalDeliveryHandler(push, connection, sessions);
    private long epochs;

    private EmbeddedChannel device(long user, String deviceId) {
        EmbeddedChannel channel = new EmbeddedChannel();
        sessions.register(new Session(channel, user, deviceId, ++epochs, "token"));
        return channel;
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
}
