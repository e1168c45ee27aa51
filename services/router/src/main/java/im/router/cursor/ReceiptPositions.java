package im.router.cursor;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.ErrorCode;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Receipts;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.GetReceiptsResponse;
import im.router.conversation.ConversationAccess;
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
    private final MemberCursorRepository members;

    public ReceiptPositions(Shards shards, MemberCursorRepository members) {
        this.shards = shards;
        this.members = members;
    }

    public GetReceiptsResponse receipts(VerifiedUser caller, GetReceiptsRequest request) {
        String conversationId = request.getConversationId();
        List<Long> others = ConversationAccess.othersThan(
                ConversationAccess.requireMember(conversationId, caller.userId()), caller.userId());
        Map<Long, MemberCursorRepository.MemberPosition> stored;
        try {
            stored = shards.of(conversationId).transactions()
                    .read(connection -> members.positions(connection, conversationId)).stream()
                    .collect(Collectors.toMap(MemberCursorRepository.MemberPosition::userId, Function.identity()));
        } catch (SQLException e) {
            LOG.errorf(e, "Receipt read failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
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
