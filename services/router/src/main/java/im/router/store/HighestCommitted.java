package im.router.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Per key, the highest value this node committed: what a write may start from without reading
 * the row, as long as the row is then moved only from that value. Bounded: the least used keys
 * are forgotten first, and a forgotten key only costs a read.
 */
public final class HighestCommitted<K> {

    private final Cache<K, Long> known;

    public HighestCommitted(int maxKeys) {
        this.known = Caffeine.newBuilder().maximumSize(maxKeys).build();
    }

    /** {@code value} was committed for {@code key}. */
    public void committed(K key, long value) {
        known.asMap().merge(key, value, Math::max);
    }

    /** The highest value committed for {@code key} as this node knows it; -1 when it does not. */
    public long last(K key) {
        Long last = known.getIfPresent(key);
        return last == null ? -1 : last;
    }
}
