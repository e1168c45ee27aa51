package im.client.sdk;

import im.protocol.client.ConversationSummary;
import im.protocol.client.Message;
import java.util.List;

/**
 * One conversation of the user's list as this client knows it now: a snapshot, never changed.
 *
 * @param lastSeq           the highest seq of the conversation this client knows of
 * @param readSeq           how far the user has read (on any device, or by sending)
 * @param unread            messages beyond {@code readSeq} (and beyond the user's joining), changes
 *                          (recalls, edits) left out
 * @param lastMessage       the message at {@code lastSeq}; null when this client has not seen it
 * @param lastActivityMs    when the last message was stored (the list's order after the pins)
 * @param notificationsOff  the user turned notifications of it off (it still counts unread)
 * @param pinnedAtMs        when the user pinned it; 0 when it is not pinned
 * @param unreadMentionSeqs the seqs beyond {@code readSeq} of messages that mention the user, ascending
 * @param unreadChangeSeqs  the seqs beyond {@code readSeq} of changes, which {@code unread} leaves out
 */
public record ConversationView(String conversationId, long lastSeq, long firstSeq, long readSeq, long unread,
        Message lastMessage, long lastActivityMs, boolean notificationsOff, long pinnedAtMs,
        List<Long> unreadMentionSeqs, List<Long> unreadChangeSeqs) {

    /** As many unread mentions and changes as a view keeps (the server names the last 100 of each). */
    static final int MAX_SEQS_KEPT = 100;

    public ConversationView {
        unreadMentionSeqs = List.copyOf(unreadMentionSeqs);
        unreadChangeSeqs = List.copyOf(unreadChangeSeqs);
    }

    /** A conversation first met by a message at {@code seq}: its history before is unknown here. */
    static ConversationView startingAt(String conversationId, long seq) {
        return new ConversationView(conversationId, seq - 1, seq, 0, 0, null, 0, false, 0, List.of(), List.of());
    }

    /** How many unread messages mention the user. */
    public int unreadMentions() {
        return unreadMentionSeqs.size();
    }

    public boolean pinned() {
        return pinnedAtMs > 0;
    }

    /** This view with its settings replaced. */
    ConversationView withSettings(boolean off, long pinnedAt) {
        return new ConversationView(conversationId, lastSeq, firstSeq, readSeq, unread, lastMessage, lastActivityMs,
                off, pinnedAt, unreadMentionSeqs, unreadChangeSeqs);
    }

    /** This view showing another form of its last message (hidden, say). */
    ConversationView withLastMessage(Message shown) {
        return new ConversationView(conversationId, lastSeq, firstSeq, readSeq, unread, shown, lastActivityMs,
                notificationsOff, pinnedAtMs, unreadMentionSeqs, unreadChangeSeqs);
    }

    /**
     * This view with new positions; unread, the unread mentions and the unread changes follow from
     * them (whatever lies at or below the read position is read).
     */
    ConversationView withPositions(long last, long first, long read, Message lastShown, long lastActivity,
            List<Long> mentionSeqs, List<Long> changeSeqs) {
        long readUpTo = Math.max(read, first - 1);
        List<Long> mentions = beyond(mentionSeqs, readUpTo);
        List<Long> changes = beyond(changeSeqs, readUpTo);
        long count = Math.max(0, last - readUpTo - changes.size());
        return new ConversationView(conversationId, last, first, read, count, lastShown, lastActivity,
                notificationsOff, pinnedAtMs, mentions, changes);
    }

    /** The seqs above {@code readUpTo}, ascending, each once, the last {@link #MAX_SEQS_KEPT} of them. */
    private static List<Long> beyond(List<Long> seqs, long readUpTo) {
        List<Long> unread = seqs.stream().filter(seq -> seq > readUpTo).distinct().sorted().toList();
        return unread.size() <= MAX_SEQS_KEPT ? unread : unread.subList(unread.size() - MAX_SEQS_KEPT, unread.size());
    }

    static ConversationView of(ConversationSummary summary) {
        Message last = summary.hasLastMessage() ? summary.getLastMessage() : null;
        return new ConversationView(summary.getConversationId(), summary.getLastSeq(), summary.getFirstSeq(),
                summary.getReadSeq(), summary.getUnread(), last, last == null ? 0 : last.getCreatedAtMs(),
                summary.getNotificationsOff(), summary.getPinnedAtMs(), summary.getUnreadMentionSeqsList(),
                summary.getUnreadChangeSeqsList());
    }

    /** The list's order: the most recently pinned first, then the most recent activity, then by id. */
    static int compareInList(ConversationView a, ConversationView b) {
        int byPin = Long.compare(b.pinnedAtMs, a.pinnedAtMs);
        if (byPin != 0) {
            return byPin;
        }
        int byActivity = Long.compare(b.lastActivityMs, a.lastActivityMs);
        return byActivity != 0 ? byActivity : a.conversationId.compareTo(b.conversationId);
    }
}
