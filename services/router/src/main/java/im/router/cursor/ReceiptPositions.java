package im.router.cursor;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationIds;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.ErrorCode;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Receipts;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.GetReceiptsResponse;
import im.router.conversation.ConversationAccess;
import im.router.group.GroupAccess;
import im.router.store.Shards;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * GetReceipts: how far the conversation's other members hold and have read it, so that a device
 * that missed receipt events (offline, lost push) can still show delivered/read marks. Blocking:
 * call from a worker.
 */
@ApplicationScoped
public class ReceiptPositions {

    private static final Logger LOG = Logger.getLogger(ReceiptPositions.class);

    private final Shards shards;
    private static final int MAX_GROUP_MEMBERS_LISTED = 100;

    private final MemberCursorRepository members;
    private final GroupAccess access;

    public ReceiptPositions(Shards shards, MemberCursorRepository members, GroupAccess access) {
        this.access = access;
        this.shards = shards;
        this.members = members;
    }

    public GetReceiptsResponse receipts(VerifiedUser caller, GetReceiptsRequest request) {
        String conversationId = request.getConversationId();
        List<Long> named = ConversationAccess.requireMember(conversationId, caller.userId());
        Map<Long, MemberCursorRepository.MemberPosition> stored;
        try {
            stored = shards.of(conversationId).transactions().read(connection -> {
                access.require(connection, conversationId, caller.userId());
                return members.positions(connection, conversationId);
            }).stream().collect(Collectors.toMap(MemberCursorRepository.MemberPosition::userId, Function.identity()));
        } catch (SQLException e) {
            LOG.errorf(e, "Receipt read failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
        List<Long> others;
        if (ConversationIds.isPrivate(conversationId)) {
            others = ConversationAccess.othersThan(named, caller.userId());
        } else if (stored.size() <= MAX_GROUP_MEMBERS_LISTED) {
            // Everyone who is or was in the group: a former member's positions stay what they were.
            others = stored.keySet().stream().filter(user -> user != caller.userId()).sorted().toList();
        } else {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "receipts are listed for groups of at most "
                    + MAX_GROUP_MEMBERS_LISTED + " members");
        }
        Receipts.Builder receipts = Receipts.newBuilder().setConversationId(conversationId);
        for (long other : others) {
            // A member without a row (no message yet) has nothing delivered or read.
            var position = stored.getOrDefault(other, new MemberCursorRepository.MemberPosition(other, 0, 0));
            receipts.addDelivered(DeliveryReceipt.newBuilder().setConversationId(conversationId)
                    .setRecipientId(other).setUpToSeq(position.deliveredSeq()));
            receipts.addRead(ReadReceipt.newBuilder().setConversationId(conversationId)
                    .setReaderId(other).setUpToSeq(position.readSeq()));
        }
        return GetReceiptsResponse.newBuilder().setReceipts(receipts).build();
    }
}
