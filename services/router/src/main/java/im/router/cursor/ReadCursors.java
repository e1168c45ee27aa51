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
import im.router.store.GroupCommit;
import im.router.store.RouterStore;
import im.router.store.Shards;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * MarkRead: the user has read a conversation up to a seq. The read cursor moves forward only and
 * never beyond the last seq the user may read; when it moved, the other members (of a private
 * chat or a small group) and the reader's other devices hear of it.
 *
 * <p>The move goes through the shard's group commit like every other write of the router: on
 * SQLite a second writing connection met the writer's lock (a writer transaction that read before
 * its first write failed busy when a read cursor committed in between, and an ack batch could be
 * dropped after its retries).
 */
@ApplicationScoped
public class ReadCursors {

    private static final Logger LOG = Logger.getLogger(ReadCursors.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int READS_PER_TRANSACTION = 256;
    private static final int READS_QUEUED = 4096;

    private final Shards shards;
    // By shard number, as the other lanes.
    private final List<GroupCommit.Lane<ToRead, Read>> stores;

    public ReadCursors(Shards shards, ConversationRepository conversations, MemberCursorRepository members,
            DeliveryRouting routing, GroupAccess access, GroupRepository groups, GroupConfig groupConfig) {
        this.shards = shards;
        ReadBatch batch = new ReadBatch(conversations, members, routing, access, groups, groupConfig);
        this.stores = shards.all().stream()
                .map(shard -> shard.groupCommit().lane("read-cursors", RouterStore.READ_CURSORS_RANK, batch,
                        READS_PER_TRANSACTION, READS_QUEUED))
                .toList();
    }

    /** Checks the request here and answers once the cursor moved (or did not need to) and committed. */
    public CompletionStage<MarkReadResponse> markRead(VerifiedUser caller, MarkReadRequest request) {
        if (!DEVICE_ID.matcher(request.getDeviceId()).matches()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "device_id must be 1..64 chars of [A-Za-z0-9._-]");
        }
        if (request.getUpToSeq() < 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "up_to_seq must not be negative");
        }
        List<Long> named = ConversationAccess.requireMember(request.getConversationId(), caller.userId());
        int shard = shards.forWrite(request.getConversationId()).index();
        ToRead toRead = new ToRead(new MemberCursorRepository.MemberKey(caller.userId(), request.getConversationId()),
                request.getUpToSeq(), request.getDeviceId(), named);
        return stores.get(shard).submit(toRead).handle((read, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                LOG.warnf("Read cursor update failed: %s", cause.toString());
                throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
            }
            if (read.refusal() != null) {
                throw read.refusal();
            }
            return MarkReadResponse.newBuilder().setLastReadSeq(read.cursor()).build();
        });
    }

    /** A read to record: whose cursor, how far, from which device, the members its id names. */
    record ToRead(MemberCursorRepository.MemberKey member, long upToSeq, String deviceId, List<Long> named) {
    }

    /**
     * The reader's cursor after the call, whether this call moved it, and the members told of it;
     * or the refusal (a group the reader never was in).
     */
    record Read(long cursor, boolean moved, List<Long> members, StatusRuntimeException refusal) {
    }

    private static final class ReadBatch implements GroupCommit.BatchWork<ToRead, Read> {
        private final ConversationRepository conversations;
        private final MemberCursorRepository members;
        private final DeliveryRouting routing;
        private final GroupAccess access;
        private final GroupRepository groups;
        private final GroupConfig groupConfig;

        ReadBatch(ConversationRepository conversations, MemberCursorRepository members, DeliveryRouting routing,
                GroupAccess access, GroupRepository groups, GroupConfig groupConfig) {
            this.conversations = conversations;
            this.members = members;
            this.routing = routing;
            this.access = access;
            this.groups = groups;
            this.groupConfig = groupConfig;
        }

        @Override
        public List<Read> write(Connection connection, List<ToRead> items) throws SQLException {
            List<Read> reads = new ArrayList<>(items.size());
            for (ToRead item : items) {
                reads.add(write(connection, item));
            }
            return reads;
        }

        private Read write(Connection connection, ToRead item) throws SQLException {
            String conversationId = item.member().conversationId();
            long readableUpTo;
            try {
                readableUpTo = access.require(connection, conversationId, item.member().userId()).lastSeq();
            } catch (StatusRuntimeException refused) {
                return new Read(0, false, List.of(), refused);
            }
            long target = CursorRules.capped(item.upToSeq(),
                    Math.min(readableUpTo, conversations.lastSeq(connection, conversationId)));
            boolean moved = members.advanceRead(connection, item.member(), target);
            // A small group hears each read like a private chat; a large one asks for counts.
            List<Long> told = ConversationIds.isPrivate(conversationId) ? item.named()
                    : groups.memberIdsIfFewer(connection, conversationId, groupConfig.receiptsListedUpTo());
            return new Read(members.readCursor(connection, item.member()), moved, told, null);
        }

        @Override
        public void publish(List<ToRead> items, List<Read> reads) {
            for (int i = 0; i < items.size(); i++) {
                Read read = reads.get(i);
                if (read.moved()) {
                    ToRead item = items.get(i);
                    long reader = item.member().userId();
                    routing.publishReadReceipt(ReadReceipt.newBuilder()
                            .setConversationId(item.member().conversationId())
                            .setReaderId(reader)
                            .setUpToSeq(read.cursor())
                            .build(), ConversationAccess.othersThan(read.members(), reader), item.deviceId());
                }
            }
        }
    }
}
