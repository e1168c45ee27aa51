package im.router.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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

    private final Cache<String, Long> known = Caffeine.newBuilder().maximumSize(MAX_CONVERSATIONS).build();

    /** A message with this seq was committed in the conversation. */
    public void stored(String conversationId, long seq) {
        known.asMap().merge(conversationId, seq, Math::max);
    }

    /**
     * The conversation's highest seq this node committed; -1 when it knows none. Usually the
     * conversation's last seq, unless another node stored more since.
     */
    public long last(String conversationId) {
        Long stored = known.getIfPresent(conversationId);
        return stored == null ? -1 : stored;
    }

    /** Whether {@code seq} is known to be stored: no cursor needs capping below it. */
    public boolean covers(String conversationId, long seq) {
        Long stored = known.getIfPresent(conversationId);
        return stored != null && seq <= stored;
    }
}
