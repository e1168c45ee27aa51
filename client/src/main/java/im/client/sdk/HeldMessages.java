package im.client.sdk;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which messages this device holds, per conversation: every seq up to {@code contiguous} (the
 * cursor sent in Hello), plus a bounded set of seqs above it that arrived ahead of a gap. A seq
 * uniquely names a message within its conversation (same msgId, same bytes on every device), so
 * "seq held" is "msgId held".
 *
 * <p>Thread-safe: network callbacks update it, any thread may read the cursors.
 */
final class HeldMessages {

    /** What {@link #hold} decided about an arriving message. */
    enum Outcome {
        /** Not held before; now it is. Show it. */
        NEW,
        /** Already held; drop it (but still acknowledge it, the earlier ack may have been lost). */
        DUPLICATE,
        /**
         * Too many messages held above a gap: not taken. Neither shown nor acknowledged; sync
         * brings it again once the gap is filled.
         */
        NO_ROOM,
        /** Not a valid position (seq below 1). */
        INVALID
    }

    private static final class Conversation {
        long contiguous;
        final TreeSet<Long> above = new TreeSet<>();
    }

    private final int maxAbovePerConversation;
    private final Map<String, Conversation> conversations = new HashMap<>();

    HeldMessages(int maxAbovePerConversation, Map<String, Long> initialCursors) {
        if (maxAbovePerConversation <= 0) {
            throw new IllegalArgumentException("maxAbovePerConversation must be positive");
        }
        this.maxAbovePerConversation = maxAbovePerConversation;
        initialCursors.forEach((id, seq) -> {
            if (seq != null && seq > 0) {
                conversation(id).contiguous = seq;
            }
        });
    }

    synchronized Outcome hold(String conversationId, long seq) {
        if (seq < 1) {
            return Outcome.INVALID;
        }
        Conversation c = conversation(conversationId);
        if (seq <= c.contiguous || c.above.contains(seq)) {
            return Outcome.DUPLICATE;
        }
        if (seq == c.contiguous + 1) {
            c.contiguous = seq;
            pullUp(c);
            return Outcome.NEW;
        }
        if (c.above.size() >= maxAbovePerConversation) {
            return Outcome.NO_ROOM;
        }
        c.above.add(seq);
        return Outcome.NEW;
    }

    /**
     * Seqs below {@code firstSeq} are not this user's to read (a group member reads from its
     * joining; the server says so in every page, {@code SyncPage.first_seq}): they count as held,
     * so the contiguous cursor moves past them instead of waiting for them forever.
     */
    synchronized void readableFrom(String conversationId, long firstSeq) {
        if (firstSeq <= 1) {
            return;
        }
        Conversation c = conversation(conversationId);
        if (c.contiguous < firstSeq - 1) {
            c.contiguous = firstSeq - 1;
            c.above.headSet(c.contiguous, true).clear();
            pullUp(c);
        }
    }

    private static void pullUp(Conversation c) {
        while (!c.above.isEmpty() && c.above.first() == c.contiguous + 1) {
            c.contiguous = c.above.pollFirst();
        }
    }

    /** Highest seq held with nothing missing below it; 0 when nothing is held. */
    synchronized long contiguous(String conversationId) {
        Conversation c = conversations.get(conversationId);
        return c == null ? 0 : c.contiguous;
    }

    /** True when some message above the contiguous cursor is held, so something below it is missing. */
    synchronized boolean hasGap(String conversationId) {
        Conversation c = conversations.get(conversationId);
        return c != null && !c.above.isEmpty();
    }

    synchronized boolean isHeld(String conversationId, long seq) {
        Conversation c = conversations.get(conversationId);
        return c != null && (seq <= c.contiguous && seq >= 1 || c.above.contains(seq));
    }

    /** The Hello cursors: per conversation the highest seq held without a gap. */
    synchronized Map<String, Long> cursors() {
        Map<String, Long> cursors = new HashMap<>();
        conversations.forEach((id, c) -> {
            if (c.contiguous > 0) {
                cursors.put(id, c.contiguous);
            }
        });
        return cursors;
    }

    private Conversation conversation(String id) {
        return conversations.computeIfAbsent(id, k -> new Conversation());
    }
}
