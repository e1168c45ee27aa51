package im.router.sync;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationCursor;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.Message;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.ListConversationsResponse;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.router.conversation.ConversationAccess;
import im.router.conversation.ConversationRepository;
import im.router.group.GroupAccess;
import im.router.group.GroupRepository;
import im.router.message.HiddenMessageRepository;
import im.router.message.HiddenMessages;
import im.router.message.MessageRepository;
import im.router.store.Shards;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/** Sync and ListConversations: the store as every device's inbox. Blocking: call from a worker. */
@ApplicationScoped
public class SyncService {

    private static final Logger LOG = Logger.getLogger(SyncService.class);

    /** Largest page, fixed by the protocol. */
    public static final int MAX_PAGE = 100;

    private final SyncConfig config;
    private final Shards shards;
    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final GroupAccess access;
    private final HiddenMessageRepository hidden;

    public SyncService(SyncConfig config, Shards shards, ConversationRepository conversations,
            MessageRepository messages, GroupAccess access, HiddenMessageRepository hidden) {
        this.hidden = hidden;
        this.access = access;
        this.config = config;
        this.shards = shards;
        this.conversations = conversations;
        this.messages = messages;
    }

    public SyncResponse sync(VerifiedUser caller, SyncRequest request) {
        ConversationAccess.requireMember(request.getConversationId(), caller.userId());
        if (request.getAfterSeq() < 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "after_seq must not be negative");
        }
        if (request.getLimit() < 0 || request.getLimit() > MAX_PAGE) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "limit must be 1.." + MAX_PAGE + " (0 means " + MAX_PAGE + ")");
        }
        int limit = request.getLimit() == 0 ? MAX_PAGE : request.getLimit();
        String conversationId = request.getConversationId();
        try {
            return shards.of(conversationId).transactions().read(connection -> {
                GroupRepository.Readable readable = access.require(connection, conversationId, caller.userId());
                long after = Math.max(request.getAfterSeq(), readable.firstSeq() - 1);
                // One row more than the page tells whether more follow, without a count.
                List<Message> page = messages.between(connection, conversationId, after, readable.lastSeq(),
                        limit + 1);
                boolean hasMore = page.size() > limit;
                List<Message> answer = hasMore ? page.subList(0, limit) : page;
                if (!answer.isEmpty()) {
                    answer = withHiddenMarked(connection, caller.userId(), answer);
                }
                long lastSeq = Math.min(conversations.lastSeq(connection, conversationId), readable.lastSeq());
                if (!answer.isEmpty()) {
                    // last_seq is read after the page: never below the page's own last message.
                    lastSeq = Math.max(lastSeq, answer.get(answer.size() - 1).getSeq());
                }
                return SyncResponse.newBuilder()
                        .setConversationId(conversationId)
                        .addAllMessages(answer)
                        .setHasMore(hasMore)
                        .setLastSeq(lastSeq)
                        .setFirstSeq(readable.firstSeq())
                        .build();
            });
        } catch (SQLException e) {
            LOG.errorf(e, "Sync read failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
    }

    /** The page as the user reads it: the messages it hid are marked and say nothing. */
    private List<Message> withHiddenMarked(Connection connection, long userId, List<Message> page)
            throws SQLException {
        String conversationId = page.get(0).getConversationId();
        Set<Long> hidden = this.hidden.hiddenIn(connection, conversationId, userId, page.get(0).getSeq(),
                page.get(page.size() - 1).getSeq());
        return hidden.isEmpty() ? page : page.stream()
                .map(m -> hidden.contains(m.getSeq()) ? HiddenMessages.asHidden(m) : m).toList();
    }

    public ListConversationsResponse listConversations(VerifiedUser caller, ListConversationsRequest request) {
        if (request.getCursorsCount() > config.maxCursors()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "at most " + config.maxCursors() + " cursors");
        }
        Map<String, Long> held = new HashMap<>();
        for (ConversationCursor cursor : request.getCursorsList()) {
            if (cursor.getConversationId().length() > ConversationIds.MAX_LENGTH) {
                throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "conversation_id too long");
            }
            held.merge(cursor.getConversationId(), cursor.getLastSeq(), Math::max);
        }
        try {
            List<ConversationRepository.ConversationPosition> mine = ofMember(caller.userId());
            ListConversationsResponse.Builder response = ListConversationsResponse.newBuilder();
            for (ConversationRepository.ConversationPosition position : mine) {
                long heldSeq = held.getOrDefault(position.conversationId(), 0L);
                // A group joined after its last message was read before holds nothing new.
                if (position.newAfter(heldSeq) > 0) {
                    response.addBehind(position.toCursor(heldSeq));
                }
            }
            return response.build();
        } catch (SQLException e) {
            LOG.errorf(e, "Conversation list read failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
    }

    /**
     * The user's conversations on every shard, merged in conversation id order (as one database
     * answers them). The shards are asked one after another on this worker thread: a read per
     * shard, each on the member index. A conversation lives on one shard, so none is counted
     * twice; one being copied between shards is read only where the map places it.
     */
    private List<ConversationRepository.ConversationPosition> ofMember(long userId) throws SQLException {
        List<ConversationRepository.ConversationPosition> merged = new ArrayList<>();
        for (Shards.Shard shard : shards.all()) {
            for (ConversationRepository.ConversationPosition position
                    : shard.transactions().read(connection -> conversations.ofMember(connection, userId))) {
                // A bucket's rows stay on its old shard after a move until they are deleted there.
                if (shards.of(position.conversationId()).index() == shard.index()) {
                    merged.add(position);
                }
            }
        }
        merged.sort(Comparator.comparing(ConversationRepository.ConversationPosition::conversationId));
        return merged;
    }
}
