package im.router.conversation;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSummary;
import im.protocol.client.ErrorCode;
import im.protocol.client.GetConversations;
import im.protocol.client.Message;
import im.router.conversation.ConversationListRepository.ListEntry;
import im.router.conversation.ConversationListRepository.ListPosition;
import im.router.message.HiddenMessageRepository;
import im.router.message.HiddenMessages;
import im.router.message.MentionRepository;
import im.router.message.MessageChangeRepository;
import im.router.message.MessageRepository;
import im.router.store.Shards;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * A page of a user's conversation list: every shard is asked for its entries after the page
 * token's position (one indexed read of the user's member rows each), the answers are merged in
 * list order, and the last message of each conversation on the page is read on its shard. A page
 * costs a read of the user's member rows per shard plus one row per conversation shown, whatever
 * the length of the list. Blocking: call from a worker.
 */
@ApplicationScoped
public class ConversationList {

    private static final Logger LOG = Logger.getLogger(ConversationList.class);

    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 100;
    // As many unread mentions and changes as a summary names (the most recent).
    private static final int MAX_SEQS_SHOWN = 100;
    private static final String TOKEN_VERSION = "1:";
    // Two longs and a conversation id, base64: far below this.
    private static final int MAX_TOKEN_LENGTH = 256;

    private final Shards shards;
    private final ConversationListRepository list;
    private final MessageRepository messages;
    private final MentionRepository mentions;
    private final MessageChangeRepository changes;
    private final HiddenMessageRepository hidden;

    public ConversationList(Shards shards, ConversationListRepository list, MessageRepository messages,
            MentionRepository mentions, MessageChangeRepository changes, HiddenMessageRepository hidden) {
        this.mentions = mentions;
        this.changes = changes;
        this.hidden = hidden;
        this.shards = shards;
        this.list = list;
        this.messages = messages;
    }

    public ConversationPage page(VerifiedUser caller, GetConversations request) {
        if (request.getLimit() < 0 || request.getLimit() > MAX_PAGE) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT,
                    "limit must be 1.." + MAX_PAGE + " (0 means " + DEFAULT_PAGE + ")");
        }
        int limit = request.getLimit() == 0 ? DEFAULT_PAGE : request.getLimit();
        ListPosition after = request.getPageToken().isEmpty() ? ListPosition.START : decode(request.getPageToken());
        try {
            List<ListEntry> merged = new ArrayList<>();
            for (Shards.Shard shard : shards.all()) {
                merged.addAll(entriesOf(shard, caller.userId(), after, limit + 1));
            }
            merged.sort((a, b) -> a.position().compareInList(b.position()));
            boolean more = merged.size() > limit;
            List<ListEntry> page = more ? merged.subList(0, limit) : merged;
            Map<String, Details> details = detailsOf(caller.userId(), page);
            ConversationPage.Builder answer = ConversationPage.newBuilder();
            for (ListEntry entry : page) {
                answer.addConversations(summaryOf(entry, details.get(entry.conversationId())));
            }
            if (more) {
                answer.setNextPageToken(encode(page.get(page.size() - 1).position()));
            }
            return answer.build();
        } catch (SQLException e) {
            LOG.errorf(e, "Conversation list read failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
    }

    /**
     * Up to {@code want} of the user's entries on the shard after the position, only those the map
     * places there (a moved bucket's rows stay on its old shard until they are deleted): read again
     * past any such rows until enough are found or the shard has no more.
     */
    private List<ListEntry> entriesOf(Shards.Shard shard, long userId, ListPosition after, int want)
            throws SQLException {
        List<ListEntry> found = new ArrayList<>();
        ListPosition from = after;
        while (found.size() < want) {
            ListPosition start = from;
            List<ListEntry> read = shard.transactions().read(connection -> list.after(connection, userId, start, want));
            for (ListEntry entry : read) {
                if (shards.of(entry.conversationId()).index() == shard.index() && found.size() < want) {
                    found.add(entry);
                }
            }
            if (read.size() < want) {
                break;
            }
            from = read.get(read.size() - 1).position();
        }
        return found;
    }

    /** What a summary shows beyond the member row: its last message and the user's unread mentions. */
    private record Details(Message lastMessage, List<Long> unreadMentionSeqs, List<Long> unreadChangeSeqs,
            long unreadChanges) {
    }

    /**
     * Each entry's last message and unread mentions, read on the entry's shard (mentions only where
     * something is unread), by conversation id.
     */
    private Map<String, Details> detailsOf(long userId, List<ListEntry> page) throws SQLException {
        Map<Integer, List<ListEntry>> byShard = new TreeMap<>();
        for (ListEntry entry : page) {
            byShard.computeIfAbsent(shards.of(entry.conversationId()).index(), shard -> new ArrayList<>()).add(entry);
        }
        Map<String, Details> details = new TreeMap<>();
        for (Map.Entry<Integer, List<ListEntry>> shard : byShard.entrySet()) {
            shards.all().get(shard.getKey()).transactions().read(connection -> {
                for (ListEntry entry : shard.getValue()) {
                    List<Message> last = messages.between(connection, entry.conversationId(), entry.lastSeq() - 1,
                            entry.lastSeq(), 1);
                    long readUpTo = Math.max(entry.readSeq(), entry.firstSeq() - 1);
                    List<Long> mentioned = entry.unread() == 0 ? List.of()
                            : mentions.unread(connection, entry.conversationId(), userId, readUpTo, entry.lastSeq(),
                                    MAX_SEQS_SHOWN);
                    List<Long> changed = entry.unread() == 0 ? List.of()
                            : changes.between(connection, entry.conversationId(), readUpTo, entry.lastSeq(),
                                    MAX_SEQS_SHOWN);
                    long changeCount = changed.size() < MAX_SEQS_SHOWN ? changed.size()
                            : changes.count(connection, entry.conversationId(), readUpTo, entry.lastSeq());
                    Message lastMessage = last.isEmpty() ? null : last.get(0);
                    if (lastMessage != null && !hidden.hiddenIn(connection, entry.conversationId(), userId,
                            entry.lastSeq(), entry.lastSeq()).isEmpty()) {
                        lastMessage = HiddenMessages.asHidden(lastMessage);
                    }
                    details.put(entry.conversationId(), new Details(lastMessage, mentioned, changed, changeCount));
                }
                return null;
            });
        }
        return details;
    }

    private static ConversationSummary summaryOf(ListEntry entry, Details details) {
        ConversationSummary.Builder summary = ConversationSummary.newBuilder()
                .setConversationId(entry.conversationId())
                .setLastSeq(entry.lastSeq())
                .setFirstSeq(entry.firstSeq())
                .setReadSeq(entry.readSeq())
                .setUnread(entry.unread() - details.unreadChanges())
                .setNotificationsOff(entry.notificationsOff())
                .setPinned(entry.position().pinnedAt() > 0)
                .setPinnedAtMs(entry.position().pinnedAt())
                .addAllUnreadMentionSeqs(details.unreadMentionSeqs())
                .addAllUnreadChangeSeqs(details.unreadChangeSeqs());
        if (details.lastMessage() != null) {
            summary.setLastMessage(details.lastMessage());
        }
        return summary.build();
    }

    /** The position as an opaque token: the client hands it back and never reads it. */
    static String encode(ListPosition position) {
        String plain = TOKEN_VERSION + position.pinnedAt() + ":" + position.sortAt() + ":" + position.conversationId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static ListPosition decode(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "page_token is not one this server gave");
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!plain.startsWith(TOKEN_VERSION)) {
                throw new IllegalArgumentException("unknown version");
            }
            String[] parts = plain.substring(TOKEN_VERSION.length()).split(":", 3);
            return new ListPosition(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "page_token is not one this server gave");
        }
    }
}
