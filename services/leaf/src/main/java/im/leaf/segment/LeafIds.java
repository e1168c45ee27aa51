package im.leaf.segment;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The node's allocator over the database, with its own loader threads for preloads. */
@ApplicationScoped
public class LeafIds {

    private final ExecutorService loader;
    private final SegmentAllocator allocator;

    public LeafIds(SegmentStore store, SegmentConfig config) {
        this.loader = Executors.newFixedThreadPool(Math.max(1, config.loaderThreads()), loaderThreads());
        this.allocator = new SegmentAllocator(store, loader, config.preloadAt(), config.maxTags());
    }

    /** See {@link SegmentAllocator#next(String, int)}. Blocks when a segment must be claimed now. */
    public List<IdBlock> next(String bizTag, int count) {
        return allocator.next(bizTag, count);
    }

    @PreDestroy
    void stop() {
        loader.shutdownNow();
    }

    private static ThreadFactory loaderThreads() {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "leaf-segment-loader-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
