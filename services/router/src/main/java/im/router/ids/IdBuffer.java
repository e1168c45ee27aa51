package im.router.ids;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Ids fetched in batches and handed out one at a time. When the buffer runs low, the next batch is
 * fetched on the refiller in the background; only an empty buffer makes a caller wait. Pure logic
 * over a batch source and an executor, so it is tested without leaf.
 */
public class IdBuffer {

    private static final Logger LOG = Logger.getLogger(IdBuffer.class);

    /** A contiguous run of ids: {@code start .. start + count - 1}. */
    public record IdRun(long start, int count) {
    }

    /** What {@link #nextIfBuffered} answers when no id is at hand (ids are positive). */
    public static final long NONE = -1;

    private final Supplier<List<IdRun>> batches;
    private final Executor refiller;
    private final long lowWater;
    // Held by next() while it waits for a fetch, so never waited for by nextIfBuffered().
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<long[]> runs = new ArrayDeque<>();
    private long available;
    // The refiller never takes this object's lock, so waiting on it under the lock cannot deadlock.
    private CompletableFuture<List<IdRun>> refill;

    public IdBuffer(Supplier<List<IdRun>> batches, Executor refiller, long lowWater) {
        this.batches = batches;
        this.refiller = refiller;
        this.lowWater = lowWater;
    }

    /**
     * The next id.
     *
     * @throws RuntimeException whatever the batch source throws when the buffer is empty and no
     *     batch can be fetched
     */
    public long next() {
        lock.lock();
        try {
            if (refill != null && (available == 0 || refill.isDone())) {
                absorbRefill();
            }
            if (available == 0) {
                add(batches.get());
            }
            return take();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next id when one is at hand, else {@link #NONE}: never waits, neither for a fetch nor
     * for a caller of {@link #next} that holds the buffer while it fetches (an event loop may
     * ask), though it starts a fetch in the background when the buffer runs low or empty.
     */
    public long nextIfBuffered() {
        if (!lock.tryLock()) {
            return NONE;
        }
        try {
            if (refill != null && refill.isDone()) {
                absorbRefill();
            }
            if (available == 0) {
                if (refill == null) {
                    startRefill();
                }
                return NONE;
            }
            return take();
        } finally {
            lock.unlock();
        }
    }

    private long take() {
        long[] run = runs.peekFirst();
        long id = run[0]++;
        if (run[0] > run[1]) {
            runs.pollFirst();
        }
        available--;
        if (available < lowWater && refill == null) {
            startRefill();
        }
        return id;
    }

    private void absorbRefill() {
        CompletableFuture<List<IdRun>> pending = refill;
        refill = null;
        try {
            add(pending.join());
        } catch (CompletionException e) {
            LOG.warnf(e.getCause(), "Background fetch of ids failed");
        }
    }

    private void startRefill() {
        try {
            refill = CompletableFuture.supplyAsync(batches, refiller);
        } catch (RejectedExecutionException e) {
            LOG.debug("Refiller refused a background fetch; the next empty buffer fetches inline");
        }
    }

    private void add(List<IdRun> batch) {
        for (IdRun run : batch) {
            if (run.count() > 0) {
                runs.addLast(new long[] {run.start(), run.start() + run.count() - 1});
                available += run.count();
            }
        }
        if (available == 0) {
            throw new IllegalStateException("id source answered no ids");
        }
    }
}
