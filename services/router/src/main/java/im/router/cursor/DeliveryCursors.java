package im.router.cursor;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ErrorCode;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.AckDeliveryResponse;
import im.router.conversation.ConversationAccess;
import im.router.conversation.ConversationRepository;
import im.router.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** AckDelivery: a device says it holds a conversation up to a seq. Blocking: call from a worker. */
@ApplicationScoped
public class DeliveryCursors {

    private static final Logger LOG = Logger.getLogger(DeliveryCursors.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Transactions transactions;
    private final ConversationRepository conversations;
    private final DeliveryCursorRepository cursors;

    public DeliveryCursors(Transactions transactions, ConversationRepository conversations,
            DeliveryCursorRepository cursors) {
        this.transactions = transactions;
        this.conversations = conversations;
        this.cursors = cursors;
    }

    public AckDeliveryResponse ack(VerifiedUser caller, AckDeliveryRequest request) {
        if (!DEVICE_ID.matcher(request.getDeviceId()).matches()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "device_id must be 1..64 chars of [A-Za-z0-9._-]");
        }
        if (request.getSeq() < 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "seq must not be negative");
        }
        ConversationAccess.requireMember(request.getConversationId(), caller.userId());
        var key = new DeliveryCursorRepository.DeviceConversation(
                caller.userId(), request.getDeviceId(), request.getConversationId());
        try {
            long cursor = transactions.write(connection -> {
                // A device cannot hold what was never stored: cap at the conversation's last seq.
                long target = Math.min(request.getSeq(), conversations.lastSeq(connection, key.conversationId()));
                return cursors.advance(connection, key, target, System.currentTimeMillis());
            });
            return AckDeliveryResponse.newBuilder().setLastAckSeq(cursor).build();
        } catch (SQLException e) {
            LOG.errorf(e, "Delivery cursor update failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
    }
}
