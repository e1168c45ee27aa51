package im.router.conversation;

import im.router.store.HighestCommitted;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per conversation, a seq this node knows to be stored (committed): a lower bound of the
 * conversation's last seq. An ack up to such a seq needs no read of the conversation to be
 * capped; anything beyond it is checked against the database, so another node's sends, an
 * evicted entry or a restart only cost that read. Bounded: at most {@value #MAX_CONVERSATIONS}
 * conversations, the least used evicted first.
 */
@ApplicationScoped
public class StoredSeqs {

    private static final int MAX_CONVERSATIONS = 100_000;

    private final HighestCommitted<String> known = new HighestCommitted<>(MAX_CONVERSATIONS);

    /** A message with this seq was committed in the conversation. */
    public void stored(String conversationId, long seq) {
        known.committed(conversationId, seq);
    }

    /**
     * The conversation's highest seq this node committed; -1 when it knows none. Usually the
     * conversation's last seq, unless another node stored more since.
     */
    public long last(String conversationId) {
        return known.last(conversationId);
    }

    /** Whether {@code seq} is known to be stored: no cursor needs capping below it. */
    public boolean covers(String conversationId, long seq) {
        long last = known.last(conversationId);
        return last >= 0 && seq <= last;
    }
}
