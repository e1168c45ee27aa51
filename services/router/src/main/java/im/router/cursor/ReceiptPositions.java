package im.router.cursor;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationIds;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.ErrorCode;
import im.protocol.client.ReadCount;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Receipts;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.GetReceiptsResponse;
import im.router.conversation.ConversationAccess;
import im.router.group.GroupAccess;
import im.router.group.GroupConfig;
import im.router.message.MessageRepository;
import im.router.store.Shards;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * GetReceipts: how far the conversation's other members hold and have read it, so that a device
 * that missed receipt events (offline, lost push) can still show delivered/read marks. In a group
 * the read positions are counted (how many have read up to each seq), listed member by member only
 * in small groups, and a sender may ask who read one of its messages. Blocking: call from a worker.
 */
@ApplicationScoped
public class ReceiptPositions {

    private static final Logger LOG = Logger.getLogger(ReceiptPositions.class);
    private static final int MAX_READERS_NAMED = 1000;

    private final Shards shards;
    private final MemberCursorRepository members;
    private final MessageRepository messages;
    private final GroupAccess access;
    private final GroupConfig groups;

    public ReceiptPositions(Shards shards, MemberCursorRepository members, MessageRepository messages,
            GroupAccess access, GroupConfig groups) {
        this.shards = shards;
        this.members = members;
        this.messages = messages;
        this.access = access;
        this.groups = groups;
    }

    public GetReceiptsResponse receipts(VerifiedUser caller, GetReceiptsRequest request) {
        String conversationId = request.getConversationId();
        List<Long> named = ConversationAccess.requireMember(conversationId, caller.userId());
        if (request.getReadersOfSeq() < 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "readers_of_seq must not be negative");
        }
        try {
            Receipts receipts = shards.of(conversationId).transactions().read(connection ->
                    ConversationIds.isPrivate(conversationId)
                            ? ofPrivate(connection, conversationId, named, caller.userId())
                            : ofGroup(connection, conversationId, caller.userId(), request.getReadersOfSeq()));
            return GetReceiptsResponse.newBuilder().setReceipts(receipts).build();
        } catch (SQLException e) {
            LOG.errorf(e, "Receipt read failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
    }

    private Receipts ofPrivate(Connection connection, String conversationId, List<Long> named, long callerId)
            throws SQLException {
        Map<Long, MemberCursorRepository.MemberPosition> stored = members.positions(connection, conversationId)
                .stream().collect(Collectors.toMap(MemberCursorRepository.MemberPosition::userId, Function.identity()));
        Receipts.Builder receipts = Receipts.newBuilder().setConversationId(conversationId);
        for (long other : ConversationAccess.othersThan(named, callerId)) {
            // A member without a row (no message yet) has nothing delivered or read.
            list(receipts, conversationId,
                    stored.getOrDefault(other, new MemberCursorRepository.MemberPosition(other, 0, 0)));
        }
        return receipts.build();
    }

    private Receipts ofGroup(Connection connection, String conversationId, long callerId, long readersOfSeq)
            throws SQLException {
        access.require(connection, conversationId, callerId);
        if (readersOfSeq > 0 && messages.senderAt(connection, conversationId, readersOfSeq) != callerId) {
            throw GrpcErrors.error(ErrorCode.PERMISSION_DENIED, "readers are named for your own messages only");
        }
        List<MemberCursorRepository.MemberPosition> others = members.currentGroupPositions(connection, conversationId)
                .stream().filter(position -> position.userId() != callerId)
                .sorted(Comparator.comparingLong(MemberCursorRepository.MemberPosition::userId))
                .toList();
        Receipts.Builder receipts = Receipts.newBuilder().setConversationId(conversationId);
        if (others.size() < groups.receiptsListedUpTo()) {
            others.forEach(position -> list(receipts, conversationId, position));
        }
        TreeMap<Long, Integer> byCursor = new TreeMap<>();
        for (MemberCursorRepository.MemberPosition position : others) {
            if (position.readSeq() > 0) {
                byCursor.merge(position.readSeq(), 1, Integer::sum);
            }
        }
        byCursor.forEach((seq, count) -> receipts.addReadCounts(
                ReadCount.newBuilder().setUpToSeq(seq).setMembers(count)));
        if (readersOfSeq > 0) {
            List<Long> readers = others.stream().filter(position -> position.readSeq() >= readersOfSeq)
                    .map(MemberCursorRepository.MemberPosition::userId).toList();
            receipts.setReadersTotal(readers.size())
                    .addAllReaders(readers.subList(0, Math.min(readers.size(), MAX_READERS_NAMED)));
        }
        return receipts.build();
    }

    private static void list(Receipts.Builder receipts, String conversationId,
            MemberCursorRepository.MemberPosition position) {
        receipts.addDelivered(DeliveryReceipt.newBuilder().setConversationId(conversationId)
                .setRecipientId(position.userId()).setUpToSeq(position.deliveredSeq()));
        receipts.addRead(ReadReceipt.newBuilder().setConversationId(conversationId)
                .setReaderId(position.userId()).setUpToSeq(position.readSeq()));
    }
}
