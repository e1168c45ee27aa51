package im.leaf.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Segment mode with double buffering (Meituan Leaf): ids of a tag are served from the current
 * segment in memory; once a share of it is used, the next segment is claimed on the loader in the
 * background, so the switch at the end of a segment rarely waits on the store. Pure logic over a
 * {@link SegmentStore} and an {@link Executor}, so it can be tested without a container.
 */
public class SegmentAllocator {

    private static final Logger LOG = Logger.getLogger(SegmentAllocator.class);

    private final SegmentStore store;
    private final Executor loader;
    private final double preloadAt;
    private final int maxTags;
    private final Map<String, TagBuffer> buffers = new ConcurrentHashMap<>();

    public SegmentAllocator(SegmentStore store, Executor loader, double preloadAt, int maxTags) {
        if (preloadAt < 0 || preloadAt > 1) {
            throw new IllegalArgumentException("preloadAt must be within 0..1: " + preloadAt);
        }
        this.store = store;
        this.loader = loader;
        this.preloadAt = preloadAt;
        this.maxTags = maxTags;
    }

    /**
     * The next {@code count} ids of a tag, as contiguous blocks in increasing order: one block,
     * or more when the request crosses the end of a segment.
     *
     * @throws SegmentStoreException when a segment is needed and cannot be claimed
     * @throws TooManyTagsException when the tag is new and the node serves its maximum already
     */
    public List<IdBlock> next(String bizTag, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        return buffer(bizTag).take(count);
    }

    private TagBuffer buffer(String bizTag) {
        TagBuffer buffer = buffers.get(bizTag);
        if (buffer != null) {
            return buffer;
        }
        if (buffers.size() >= maxTags) {
            throw new TooManyTagsException(maxTags);
        }
        return buffers.computeIfAbsent(bizTag, TagBuffer::new);
    }

    /** The two buffers of one tag: the segment being served and the one loading behind it. */
    private final class TagBuffer {

        private final String bizTag;
        private Segment current;
        // The next id to hand out from current; past current.maxId() when it is used up.
        private long cursor;
        // The segment loading (or loaded) in the background; the loader never takes this lock,
        // so waiting on it while holding the lock cannot deadlock.
        private CompletableFuture<Segment> next;

        TagBuffer(String bizTag) {
            this.bizTag = bizTag;
        }

        synchronized List<IdBlock> take(int count) {
            List<IdBlock> blocks = new ArrayList<>(2);
            int remaining = count;
            while (remaining > 0) {
                if (current == null || cursor > current.maxId()) {
                    switchSegment();
                }
                int n = (int) Math.min(remaining, current.maxId() - cursor + 1);
                blocks.add(new IdBlock(cursor, n));
                cursor += n;
                remaining -= n;
                preloadIfDue();
            }
            return blocks;
        }

        private void switchSegment() {
            Segment segment = null;
            if (next != null) {
                CompletableFuture<Segment> loading = next;
                next = null;
                try {
                    segment = loading.join();
                } catch (CompletionException e) {
                    LOG.warnf(e.getCause(), "Background load of a segment of %s failed; loading now", bizTag);
                }
            }
            if (segment == null) {
                segment = store.claim(bizTag);
            }
            current = segment;
            cursor = segment.firstId();
        }

        private void preloadIfDue() {
            if (next != null) {
                return;
            }
            long used = cursor - current.firstId();
            if (used >= Math.round(current.step() * preloadAt)) {
                try {
                    next = CompletableFuture.supplyAsync(() -> store.claim(bizTag), loader);
                } catch (RejectedExecutionException e) {
                    // Shutting down: the next take claims synchronously if it still comes.
                    LOG.debugf("Loader refused a preload of %s", bizTag);
                }
            }
        }
    }
}
