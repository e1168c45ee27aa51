package im.client.sdk;

import im.protocol.client.ConversationSummary;
import im.protocol.client.Message;

/**
 * One conversation of the user's list as this client knows it now: a snapshot, never changed.
 *
 * @param lastSeq          the highest seq of the conversation this client knows of
 * @param readSeq          how far the user has read (on any device, or by sending)
 * @param unread           messages beyond {@code readSeq} (and beyond the user's joining)
 * @param lastMessage      the message at {@code lastSeq}; null when this client has not seen it
 * @param lastActivityMs   when the last message was stored (the list's order after the pins)
 * @param notificationsOff the user turned notifications of it off (it still counts unread)
 * @param pinnedAtMs       when the user pinned it; 0 when it is not pinned
 */
public record ConversationView(String conversationId, long lastSeq, long firstSeq, long readSeq, long unread,
        Message lastMessage, long lastActivityMs, boolean notificationsOff, long pinnedAtMs) {

    public boolean pinned() {
        return pinnedAtMs > 0;
    }

    static ConversationView of(ConversationSummary summary) {
        Message last = summary.hasLastMessage() ? summary.getLastMessage() : null;
        return new ConversationView(summary.getConversationId(), summary.getLastSeq(), summary.getFirstSeq(),
                summary.getReadSeq(), summary.getUnread(), last, last == null ? 0 : last.getCreatedAtMs(),
                summary.getNotificationsOff(), summary.getPinnedAtMs());
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
