package im.leaf.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The segment logic alone: a counter in memory stands in for the table, a manual executor for the loader. */
class SegmentAllocatorTest {

    /** Advances like the leaf_alloc row: max_id += step per claim. */
    static final class CountingStore implements SegmentStore {
        final int step;
        long maxId;
        final AtomicInteger claims = new AtomicInteger();
        final AtomicBoolean failing = new AtomicBoolean();

        CountingStore(int step) {
            this.step = step;
        }

        @Override
        public synchronized Segment claim(String bizTag) {
            if (failing.get()) {
                throw new SegmentStoreException("store down", null);
            }
            claims.incrementAndGet();
            maxId += step;
            return new Segment(maxId, step);
        }
    }

    /** Runs background loads only when the test says so. */
    static final class ManualExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    @Test
    void firstIdsOfANewTagStartAtOneAndAreContiguous() {
        SegmentAllocator allocator = new SegmentAllocator(new CountingStore(100), Runnable::run, 0.1, 10);

        assertEquals(List.of(new IdBlock(1, 5)), allocator.next("message", 5));
        assertEquals(List.of(new IdBlock(6, 3)), allocator.next("message", 3));
    }

    @Test
    void requestCrossingASegmentBoundaryGetsTwoRanges() {
        CountingStore store = new CountingStore(100);
        ManualExecutor loader = new ManualExecutor();
        SegmentAllocator allocator = new SegmentAllocator(store, loader, 0.1, 10);

        allocator.next("message", 90);
        loader.runAll();
        List<IdBlock> blocks = allocator.next("message", 20);

        assertEquals(List.of(new IdBlock(91, 10), new IdBlock(101, 10)), blocks);
    }

    @Test
    void nextSegmentLoadsInTheBackgroundOnceTenPercentIsUsed() {
        CountingStore store = new CountingStore(100);
        ManualExecutor loader = new ManualExecutor();
        SegmentAllocator allocator = new SegmentAllocator(store, loader, 0.1, 10);

        allocator.next("message", 9);
        assertTrue(loader.tasks.isEmpty(), "no preload before 10% is used");
        allocator.next("message", 1);
        assertEquals(1, loader.tasks.size(), "preload queued at 10%");
        allocator.next("message", 50);
        assertEquals(1, loader.tasks.size(), "one preload per segment");

        loader.runAll();
        assertEquals(2, store.claims.get());
        assertEquals(List.of(new IdBlock(61, 40), new IdBlock(101, 1)), allocator.next("message", 41));
        assertEquals(2, store.claims.get(), "the switch used the preloaded segment, no claim while waiting");
    }

    @Test
    void failedPreloadIsClaimedAgainWhenTheSegmentIsNeeded() {
        CountingStore store = new CountingStore(10);
        ManualExecutor loader = new ManualExecutor();
        SegmentAllocator allocator = new SegmentAllocator(store, loader, 0.1, 10);

        allocator.next("message", 5);
        store.failing.set(true);
        loader.runAll();
        store.failing.set(false);

        assertEquals(List.of(new IdBlock(6, 5), new IdBlock(11, 1)), allocator.next("message", 6));
    }

    @Test
    void storeFailureReachesTheCallerAndTheNextCallRecovers() {
        CountingStore store = new CountingStore(10);
        SegmentAllocator allocator = new SegmentAllocator(store, new ManualExecutor(), 0.1, 10);
        store.failing.set(true);

        assertThrows(SegmentStoreException.class, () -> allocator.next("message", 1));
        store.failing.set(false);
        assertEquals(List.of(new IdBlock(1, 1)), allocator.next("message", 1));
    }

    @Test
    void tagsAreCountedSeparately() {
        SegmentAllocator allocator = new SegmentAllocator(new CountingStore(10), Runnable::run, 0.1, 10);

        allocator.next("message", 3);
        // One store behind both tags, so the second tag starts after the claims of the first.
        assertEquals(1, allocator.next("user", 1).size());
        assertEquals(List.of(new IdBlock(4, 1)), allocator.next("message", 1));
    }

    @Test
    void newTagBeyondTheLimitIsRefused() {
        SegmentAllocator allocator = new SegmentAllocator(new CountingStore(10), Runnable::run, 0.1, 2);
        allocator.next("a", 1);
        allocator.next("b", 1);

        assertThrows(TooManyTagsException.class, () -> allocator.next("c", 1));
        assertEquals(1, allocator.next("a", 1).size());
    }

    @Test
    void requestLargerThanManySegmentsIsServedInOrder() {
        SegmentAllocator allocator = new SegmentAllocator(new CountingStore(1000), Runnable::run, 0.1, 10);

        List<IdBlock> blocks = allocator.next("message", 10_000);

        long expected = 1;
        int total = 0;
        for (IdBlock block : blocks) {
            assertTrue(block.start() >= expected);
            expected = block.last() + 1;
            total += block.count();
        }
        assertEquals(10_000, total);
    }
}
