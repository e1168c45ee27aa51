package im.router.cursor;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.ReadReceipt;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.MarkReadResponse;
import im.router.conversation.ConversationAccess;
import im.router.conversation.ConversationRepository;
import im.router.group.GroupAccess;
import im.router.group.GroupConfig;
import im.router.group.GroupRepository;
import im.router.routing.DeliveryRouting;
import im.router.store.Shards;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * MarkRead: the user has read a conversation up to a seq. The read cursor moves forward only and
 * never beyond the last seq; when it moved, the other members and the reader's other devices hear
 * of it. Blocking: call from a worker.
 */
@ApplicationScoped
public class ReadCursors {

    private static final Logger LOG = Logger.getLogger(ReadCursors.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Shards shards;
    private final ConversationRepository conversations;
    private final MemberCursorRepository members;
    private final DeliveryRouting routing;
    private final GroupAccess access;
    private final GroupRepository groups;
    private final GroupConfig groupConfig;

    public ReadCursors(Shards shards, ConversationRepository conversations, MemberCursorRepository members,
            DeliveryRouting routing, GroupAccess access, GroupRepository groups, GroupConfig groupConfig) {
        this.access = access;
        this.groups = groups;
        this.groupConfig = groupConfig;
        this.shards = shards;
        this.conversations = conversations;
        this.members = members;
        this.routing = routing;
    }

    public MarkReadResponse markRead(VerifiedUser caller, MarkReadRequest request) {
        if (!DEVICE_ID.matcher(request.getDeviceId()).matches()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "device_id must be 1..64 chars of [A-Za-z0-9._-]");
        }
        if (request.getUpToSeq() < 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "up_to_seq must not be negative");
        }
        List<Long> named = ConversationAccess.requireMember(request.getConversationId(), caller.userId());
        var member = new MemberCursorRepository.MemberKey(caller.userId(), request.getConversationId());
        Shards.Shard shard = shards.forWrite(member.conversationId());
        Read read;
        try {
            read = shard.transactions().write(connection -> {
                String conversationId = member.conversationId();
                long readableUpTo = access.require(connection, conversationId, caller.userId()).lastSeq();
                long target = CursorRules.capped(request.getUpToSeq(),
                        Math.min(readableUpTo, conversations.lastSeq(connection, conversationId)));
                boolean moved = members.advanceRead(connection, member, target);
                // A small group hears each read like a private chat; a large one asks for counts.
                List<Long> told = ConversationIds.isPrivate(conversationId) ? named
                        : groups.memberIdsIfFewer(connection, conversationId, groupConfig.receiptsListedUpTo());
                return new Read(members.readCursor(connection, member), moved, told);
            });
        } catch (SQLException e) {
            LOG.errorf(e, "Read cursor update failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
        if (read.moved()) {
            routing.publishReadReceipt(ReadReceipt.newBuilder()
                    .setConversationId(request.getConversationId())
                    .setReaderId(caller.userId())
                    .setUpToSeq(read.cursor())
                    .build(), ConversationAccess.othersThan(read.members(), caller.userId()), request.getDeviceId());
        }
        return MarkReadResponse.newBuilder().setLastReadSeq(read.cursor()).build();
    }

    /** The reader's cursor after the call, whether this call moved it, and the members told of it. */
    private record Read(long cursor, boolean moved, List<Long> members) {
    }
}
