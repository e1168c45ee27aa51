package im.router.cursor;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.ErrorCode;
import im.protocol.router.AckDeliveryRequest;
import im.protocol.router.AckDeliveryResponse;
import im.router.conversation.ConversationAccess;
import im.router.conversation.ConversationRepository;
import im.router.routing.DeliveryRouting;
import im.router.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * AckDelivery: a device says it holds a conversation up to a seq. Moves the device's cursor and
 * the member's (the highest of the user's device cursors); when the member's moved, the other
 * members hear of it. Blocking: call from a worker.
 */
@ApplicationScoped
public class DeliveryCursors {

    private static final Logger LOG = Logger.getLogger(DeliveryCursors.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Transactions transactions;
    private final ConversationRepository conversations;
    private final DeliveryCursorRepository cursors;
    private final MemberCursorRepository members;
    private final DeliveryRouting routing;

    public DeliveryCursors(Transactions transactions, ConversationRepository conversations,
            DeliveryCursorRepository cursors, MemberCursorRepository members, DeliveryRouting routing) {
        this.transactions = transactions;
        this.conversations = conversations;
        this.cursors = cursors;
        this.members = members;
        this.routing = routing;
    }

    public AckDeliveryResponse ack(VerifiedUser caller, AckDeliveryRequest request) {
        if (!DEVICE_ID.matcher(request.getDeviceId()).matches()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "device_id must be 1..64 chars of [A-Za-z0-9._-]");
        }
        if (request.getSeq() < 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "seq must not be negative");
        }
        List<Long> memberIds = ConversationAccess.requireMember(request.getConversationId(), caller.userId());
        var key = new DeliveryCursorRepository.DeviceConversation(
                caller.userId(), request.getDeviceId(), request.getConversationId());
        var member = new MemberCursorRepository.MemberKey(caller.userId(), request.getConversationId());
        Acked acked;
        try {
            acked = transactions.write(connection -> {
                // A device cannot hold what was never stored: cap at the conversation's last seq.
                long target = CursorRules.capped(request.getSeq(), conversations.lastSeq(connection, key.conversationId()));
                long deviceCursor = cursors.advance(connection, key, target, System.currentTimeMillis());
                long memberCursor = members.highestDeviceCursor(connection, caller.userId(), key.conversationId());
                boolean moved = members.advanceDelivered(connection, member, memberCursor);
                return new Acked(deviceCursor, moved ? memberCursor : -1);
            });
        } catch (SQLException e) {
            LOG.errorf(e, "Delivery cursor update failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
        if (acked.movedMemberCursor() >= 0) {
            routing.publishDeliveryReceipt(DeliveryReceipt.newBuilder()
                    .setConversationId(request.getConversationId())
                    .setRecipientId(caller.userId())
                    .setUpToSeq(acked.movedMemberCursor())
                    .build(), ConversationAccess.othersThan(memberIds, caller.userId()));
        }
        return AckDeliveryResponse.newBuilder().setLastAckSeq(acked.deviceCursor()).build();
    }

    /** The device's cursor after the ack, and the member's new cursor or -1 when it did not move. */
    private record Acked(long deviceCursor, long movedMemberCursor) {
    }
}
