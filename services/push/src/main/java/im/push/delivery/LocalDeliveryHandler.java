package im.push.delivery;

import im.common.delivery.DeliveryHandler;
import im.protocol.client.Deliver;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.delivery.DeliveryEvent;
import im.protocol.delivery.SessionReplaced;
import im.push.PushConfig;
import im.push.codec.ClientErrors;
import im.push.connection.ConnectionConfig;
import im.push.retry.DeliveryRetries;
import im.push.session.Session;
import im.push.session.SessionRegistry;
import io.netty.channel.ChannelFutureListener;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * This node's end of the router -> push hop: writes each event to the local sessions of its
 * users, except the device that sent the message (it got a SendAck), or only to the one target
 * device of a retransmission. Only enqueues writes, so it
 * never blocks whichever thread delivers the event. A device that is not here, or whose
 * connection cannot take more, gets the message by retry or sync instead.
 *
 * <p>Every message written is pending until the device acknowledges it ({@link DeliveryRetries});
 * receipts are not: a lost receipt is superseded by the next one or read with GetReceipts (and a
 * lost typing signal by the typer's next one). A
 * replaced-session event closes this node's older session of a device that opened a newer one
 * elsewhere.
 */
@Singleton
public class LocalDeliveryHandler implements DeliveryHandler {

    private static final Logger LOG = Logger.getLogger(LocalDeliveryHandler.class);

    private final String nodeId;
    private final SessionRegistry sessions;
    private final int maxPendingWriteBytes;
    private final DeliveryRetries retries;

    public LocalDeliveryHandler(PushConfig push, ConnectionConfig connection, SessionRegistry sessions,
            DeliveryRetries retries) {
        this.nodeId = push.nodeId();
        this.sessions = sessions;
        this.retries = retries;
        this.maxPendingWriteBytes = connection.maxPendingWriteBytes();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void onDelivery(DeliveryEvent event) {
        if (event.hasSessionReplaced()) {
            closeReplaced(event.getSessionReplaced());
            return;
        }
        Frame frame = frameOf(event);
        if (frame == null) {
            LOG.debugf("delivery event without payload ignored");
            return;
        }
        for (long userId : event.getUserIdsList()) {
            for (Session session : sessions.sessionsOf(userId)) {
                if (session.userId() == event.getExceptUserId()
                        && session.deviceId().equals(event.getExceptDeviceId())) {
                    continue;
                }
                if (!event.getTargetDeviceId().isEmpty() && !session.deviceId().equals(event.getTargetDeviceId())) {
                    continue;
                }
                if (session.admits(maxPendingWriteBytes)) {
                    if (event.hasMessage()) {
                        // recorded before the write, so an ack can never overtake its entry
                        retries.sent(session.device(), event.getMessage(), event.getAttempt());
                    }
                    session.deliver(frame);
                }
            }
        }
    }

    /** Closes the device's session here if it is older than the one opened elsewhere. */
    private void closeReplaced(SessionReplaced replaced) {
        for (Session session : sessions.sessionsOf(replaced.getUserId())) {
            if (session.deviceId().equals(replaced.getDeviceId()) && session.epoch() < replaced.getEpoch()) {
                session.replacedElsewhere();
                session.channel().writeAndFlush(ClientErrors.frame(0, ErrorCode.SESSION_REPLACED,
                        "a newer session of this device took over")).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static Frame frameOf(DeliveryEvent event) {
        return switch (event.getPayloadCase()) {
            case MESSAGE -> Frame.newBuilder().setDeliver(Deliver.newBuilder().setMessage(event.getMessage())
                    .setAttempt(event.getAttempt())).build();
            case READ_RECEIPT -> Frame.newBuilder().setReadReceipt(event.getReadReceipt()).build();
            case DELIVERY_RECEIPT -> Frame.newBuilder().setDeliveryReceipt(event.getDeliveryReceipt()).build();
            case CONVERSATION_SETTINGS -> Frame.newBuilder().setConversationSettings(event.getConversationSettings()).build();
            case MESSAGES_HIDDEN -> Frame.newBuilder().setMessagesHidden(event.getMessagesHidden()).build();
            case PRESENCE -> Frame.newBuilder().setPresence(event.getPresence()).build();
            case TYPING -> Frame.newBuilder().setTyping(event.getTyping()).build();
            case SESSION_REPLACED, PAYLOAD_NOT_SET -> null;
        };
    }
}
