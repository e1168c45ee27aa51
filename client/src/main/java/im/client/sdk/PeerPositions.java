package im.client.sdk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest delivered and read positions of the other members, per conversation, as far as the
 * receipts seen so far tell. Holds at most {@code maxConversations}; the least recently touched is
 * forgotten first (its messages then read as SENT until the next receipt or
 * {@link ImClient#receipts}).
 */
final class PeerPositions {

    private static final class Positions {
        long delivered;
        long read;
    }

    private final Map<String, Positions> conversations;

    PeerPositions(int maxConversations) {
        this.conversations = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Positions> eldest) {
                return size() > maxConversations;
            }
        };
    }

    synchronized void delivered(String conversationId, long upToSeq) {
        Positions p = conversations.computeIfAbsent(conversationId, k -> new Positions());
        p.delivered = Math.max(p.delivered, upToSeq);
    }

    /** A read implies delivery: a peer cannot read what its devices do not hold. */
    synchronized void read(String conversationId, long upToSeq) {
        Positions p = conversations.computeIfAbsent(conversationId, k -> new Positions());
        p.read = Math.max(p.read, upToSeq);
        p.delivered = Math.max(p.delivered, upToSeq);
    }

    synchronized MessageStatus statusOf(String conversationId, long seq) {
        Positions p = conversations.get(conversationId);
        if (p == null || seq < 1) {
            return MessageStatus.SENT;
        }
        if (seq <= p.read) {
            return MessageStatus.READ;
        }
        return seq <= p.delivered ? MessageStatus.DELIVERED : MessageStatus.SENT;
    }
}
