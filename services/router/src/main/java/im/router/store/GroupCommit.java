package im.router.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Group commit: writes that callers hand in one at a time are stored many to a transaction by one
 * writer thread, so the cost of a commit (a log flush on MySQL, a log write on SQLite) is paid once
 * per batch instead of once per write.
 *
 * <p>Writes of different kinds come in through {@link Lane}s (sends, delivery acks); one
 * transaction takes what every lane holds, so sends and acks share a commit. Lanes are written in
 * the order of their rank, so every transaction on every node takes its row locks in one order.
 *
 * <p>There is no waiting window for a lane by default: the writer takes everything that queued up
 * while the previous batch was committing (at most a lane's {@code maxBatch}). An idle system
 * commits each write at once; a loaded one commits larger batches. A lane may instead linger: its
 * writes wait up to its linger for another lane's transaction to ride in (or for a full batch),
 * so writes nobody waits on (delivery acks) do not cost a commit each at low load. A caller hears
 * of its write only after the commit and its lane's {@link BatchWork#committed} and
 * {@link BatchWork#publish} ran.
 *
 * <p>The writer only writes: once a transaction committed, it hands the batch to a publishing
 * thread (which tells the lanes' listeners and answers the callers, batch after batch in commit
 * order) and starts the next transaction. Under load the writer is the one serial step of the
 * store; publishing a batch's deliveries there took a sixth of its time (profiled).
 *
 * <p>When a batch fails on a unique key (a racing writer on another node stored the same key
 * first), it is rolled back and each of its writes is retried in a transaction of its own, so one
 * conflicting write cannot fail the others. A deadlock or serialization failure retries the batch.
 */
public final class GroupCommit {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    private static final int PUBLISH_QUEUE = 64;
    private static final Runnable END = () -> { };

    /** What a lane's writes do, in the shared transaction. */
    public interface BatchWork<T, R> {

        /**
         * Writes every item on the connection, inside the transaction, and answers one result per
         * item in the items' order. Throwing rolls the whole transaction back.
         */
        List<R> write(Connection connection, List<T> items) throws SQLException;

        /**
         * After the commit, in the writer thread, before its next transaction: what the writer
         * remembers for the batches that follow. Keep it short; must not throw.
         */
        default void committed(List<T> items, List<R> results) {
        }

        /**
         * After {@link #committed}, on the publishing thread, batches in commit order, before any
         * caller hears of its write: what others are told of the batch. Must not throw.
         */
        default void publish(List<T> items, List<R> results) {
        }
    }

    /** Raised to a caller whose write was not stored: the store failed, or the queue is full or closed. */
    public static final class NotStored extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean busy;

        NotStored(String message, boolean busy, Throwable cause) {
            super(message, cause);
            this.busy = busy;
        }

        /** True when nothing was tried: the queue was full or the writer stopped. */
        public boolean busy() {
            return busy;
        }
    }

    private final String name;
    private final Transactions transactions;
    private final int attempts;
    private final List<Lane<?, ?>> lanes = new CopyOnWriteArrayList<>();  // by rank
    private final LongAdder transactionsCommitted = new LongAdder();
    private final LongAdder writesCommitted = new LongAdder();
    // Permits wake the writer: one per write of a lane that does not linger; for a lingering lane,
    // one when its first write queues and one when it holds a full batch. Besides, the writer
    // wakes when a linger ends, and once when stop() is called.
    private final Semaphore submitted = new Semaphore(0);
    private final Thread writer;
    // Committed (or failed) batches on their way to the publishing thread: bounded, so a publisher
    // that falls behind holds the writer back instead of letting answers pile up.
    private final BlockingQueue<Runnable> toPublish = new ArrayBlockingQueue<>(PUBLISH_QUEUE);
    private final Thread publisher;
    private volatile boolean stopping;

    /** @param attempts tries of a transaction that hits a deadlock or serialization failure */
    public GroupCommit(String name, Transactions transactions, int attempts) {
        this.name = name;
        this.transactions = transactions;
        this.attempts = attempts;
        this.writer = new Thread(this::writeLoop, name + "-writer");
        writer.setDaemon(true);
        this.publisher = new Thread(this::publishLoop, name + "-publisher");
        publisher.setDaemon(true);
        publisher.start();
        writer.start();
    }

    /**
     * A new lane whose writes are committed as soon as the writer gets to them.
     *
     * @param rank where the lane's writes go in a transaction: lower ranks first
     * @param maxBatch most writes of this lane in one transaction
     * @param queueCapacity writes waiting for the writer; beyond it {@link Lane#submit} fails at once
     */
    public <T, R> Lane<T, R> lane(String laneName, int rank, BatchWork<T, R> work, int maxBatch,
            int queueCapacity) {
        return lane(laneName, rank, work, maxBatch, queueCapacity, Duration.ZERO);
    }

    /**
     * A new lane whose writes wait up to {@code linger} to share another lane's transaction; a full
     * batch does not wait.
     */
    public synchronized <T, R> Lane<T, R> lane(String laneName, int rank, BatchWork<T, R> work, int maxBatch,
            int queueCapacity, Duration linger) {
        Lane<T, R> lane = new Lane<>(laneName, rank, work, maxBatch, queueCapacity, linger.toNanos());
        int at = 0;
        while (at < lanes.size() && lanes.get(at).rank <= rank) {
            at++;
        }
        lanes.add(at, lane);
        return lane;
    }

    /** Stops taking writes, stores and answers those already queued, then ends the writer and publisher. */
    public void stop(long timeout, TimeUnit unit) {
        stopping = true;
        // Set before the release: a writer woken by it, or finding it left, sees stopping.
        submitted.release();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        try {
            writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            lanes.forEach(Lane::refuseQueued);
            if (toPublish.offer(END, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                publisher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Transactions the writer committed. */
    public long transactionsCommitted() {
        return transactionsCommitted.sum();
    }

    /** Writes those transactions carried: divided by {@link #transactionsCommitted}, the mean batch. */
    public long writesCommitted() {
        return writesCommitted.sum();
    }

    /** Writes waiting for the writer, all lanes together. */
    public int queued() {
        int queued = 0;
        for (Lane<?, ?> lane : lanes) {
            queued += lane.queue.size();
        }
        return queued;
    }

    /** One kind of write: its own queue, batch bound and batch work. */
    public final class Lane<T, R> {

        private final String laneName;
        private final int rank;
        private final BatchWork<T, R> work;
        private final int maxBatch;
        private final long lingerNanos;
        private final BlockingQueue<Pending<T, R>> queue;

        private Lane(String laneName, int rank, BatchWork<T, R> work, int maxBatch, int queueCapacity,
                long lingerNanos) {
            this.laneName = laneName;
            this.rank = rank;
            this.work = work;
            this.maxBatch = maxBatch;
            this.lingerNanos = lingerNanos;
            this.queue = new ArrayBlockingQueue<>(queueCapacity);
        }

        /** Queues one write; the stage completes after its transaction committed, or fails with {@link NotStored}. */
        public CompletionStage<R> submit(T item) {
            CompletableFuture<R> result = new CompletableFuture<>();
            if (stopping) {
                result.completeExceptionally(new NotStored(laneName + ": the store is stopping", true, null));
            } else if (queue.offer(new Pending<>(item, result, System.nanoTime()))) {
                // A lingering write wakes the writer only when it starts the lane's wait (the writer
                // then sleeps until its linger ends) or fills a batch: not once per write.
                int queued = queue.size();
                if (lingerNanos == 0 || queued == 1 || queued >= maxBatch) {
                    submitted.release();
                }
            } else {
                result.completeExceptionally(new NotStored(laneName + " queue is full", true, null));
            }
            return result;
        }

        /** 0 when the lane's writes should be written now, else how long they may still wait (MAX_VALUE: none). */
        private long nanosUntilDue(long now) {
            Pending<T, R> oldest = queue.peek();
            if (oldest == null) {
                return Long.MAX_VALUE;
            }
            if (lingerNanos == 0 || stopping || queue.size() >= maxBatch) {
                return 0;
            }
            return Math.max(0, oldest.queuedAtNanos() + lingerNanos - now);
        }

        private Batch<T, R> take() {
            List<Pending<T, R>> pending = new ArrayList<>();
            queue.drainTo(pending, maxBatch);
            return pending.isEmpty() ? null : new Batch<>(this, pending);
        }

        private void refuseQueued() {
            List<Pending<T, R>> left = new ArrayList<>();
            queue.drainTo(left);
            left.forEach(p -> p.result().completeExceptionally(new NotStored(laneName + ": the store stopped", true, null)));
        }
    }

    private record Pending<T, R>(T item, CompletableFuture<R> result, long queuedAtNanos) {
    }

    /** A lane's share of one transaction. */
    private static final class Batch<T, R> {
        final Lane<T, R> lane;
        final List<Pending<T, R>> pending;
        final List<T> items;
        List<R> results;

        Batch(Lane<T, R> lane, List<Pending<T, R>> pending) {
            this.lane = lane;
            this.pending = pending;
            this.items = new ArrayList<>(pending.size());
            pending.forEach(p -> items.add(p.item()));
        }

        void write(Connection connection) throws SQLException {
            results = lane.work.write(connection, items);
            if (results.size() != items.size()) {
                throw new IllegalStateException(lane.laneName + " answered " + results.size() + " results for "
                        + items.size() + " items");
            }
        }

        /** In the writer, right after the commit. */
        void remember() {
            try {
                lane.work.committed(items, results);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: after-commit step failed", lane.laneName);
            }
        }

        /** On the publishing thread. */
        void finish() {
            try {
                lane.work.publish(items, results);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: publishing failed", lane.laneName);
            }
            for (int i = 0; i < pending.size(); i++) {
                pending.get(i).result().complete(results.get(i));
            }
        }

        void fail(NotStored failure) {
            pending.forEach(p -> p.result().completeExceptionally(failure));
        }

        /** Each write of this batch as a batch of its own. */
        List<Batch<T, R>> singles() {
            List<Batch<T, R>> singles = new ArrayList<>(pending.size());
            pending.forEach(p -> singles.add(new Batch<>(lane, List.of(p))));
            return singles;
        }
    }

    private void writeLoop() {
        try (Transactions.Writer writer = transactions.writer()) {
            writeLoop(writer);
        }
    }

    private void writeLoop(Transactions.Writer writer) {
        while (true) {
            long wait = nanosUntilDue();
            if (wait > 0) {
                if (stopping && wait == Long.MAX_VALUE) {
                    return;
                }
                try {
                    // Never interrupted: an interrupt during file I/O would close an NIO database file (H2).
                    // With nothing queued the writer sleeps until a write or stop() wakes it: an idle
                    // node's writer costs nothing, not a wake-up every tick.
                    if (wait == Long.MAX_VALUE) {
                        submitted.acquire();
                    } else {
                        submitted.tryAcquire(wait, TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                // A new write, a linger ended, or stop() called: look again.
                continue;
            }
            // Permits are cleared before the queues are read: a write queued from here on leaves a
            // permit for the next round, one queued before is taken in this one.
            submitted.drainPermits();
            List<Batch<?, ?>> batches = new ArrayList<>(lanes.size());
            for (Lane<?, ?> lane : lanes) {
                // Every lane rides along, lingering or not: the commit is paid anyway.
                Batch<?, ?> batch = lane.take();
                if (batch != null) {
                    batches.add(batch);
                }
            }
            if (!batches.isEmpty()) {
                write(writer, batches);
            }
        }
    }

    /** 0 when some lane is due, else how long the writer may sleep (MAX_VALUE: nothing queued). */
    private long nanosUntilDue() {
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        for (Lane<?, ?> lane : lanes) {
            wait = Math.min(wait, lane.nanosUntilDue(now));
        }
        return wait;
    }

    private void write(Transactions.Writer writer, List<Batch<?, ?>> batches) {
        int writes = batches.stream().mapToInt(b -> b.items.size()).sum();
        try {
            writeWithRetry(writer, batches);
            transactionsCommitted.increment();
            writesCommitted.add(writes);
            batches.forEach(Batch::remember);
            publish(() -> batches.forEach(Batch::finish));
        } catch (SQLException e) {
            if (Transactions.isUniqueViolation(e) && writes > 1) {
                LOG.debugf("%s: a batch of %d hit a unique key; writing its items one by one", name, writes);
                for (Batch<?, ?> batch : batches) {
                    for (Batch<?, ?> single : batch.singles()) {
                        write(writer, List.of(single));
                    }
                }
                return;
            }
            LOG.errorf(e, "%s: a batch of %d failed", name, writes);
            NotStored failure = new NotStored(name + " unavailable", false, e);
            publish(() -> batches.forEach(b -> b.fail(failure)));
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: a batch of %d failed", name, writes);
            NotStored failure = new NotStored(name + " failed", false, e);
            publish(() -> batches.forEach(b -> b.fail(failure)));
        }
    }

    /** Hands a batch's outcome to the publishing thread, waiting while it is behind. */
    private void publish(Runnable outcome) {
        try {
            toPublish.put(outcome);
        } catch (InterruptedException e) {
            // The writer is never interrupted (see writeLoop); answer here rather than lose it.
            outcome.run();
        }
    }

    private void publishLoop() {
        while (true) {
            Runnable outcome;
            try {
                outcome = toPublish.take();
            } catch (InterruptedException e) {
                return;
            }
            if (outcome == END) {
                return;
            }
            try {
                outcome.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s: answering a batch failed", name);
            }
        }
    }

    private void writeWithRetry(Transactions.Writer writer, List<Batch<?, ?>> batches) throws SQLException {
        boolean single = batches.size() == 1 && batches.get(0).items.size() == 1;
        for (int attempt = 1;; attempt++) {
            try {
                writer.write(connection -> {
                    for (Batch<?, ?> batch : batches) {
                        batch.write(connection);
                    }
                    return null;
                });
                return;
            } catch (SQLException e) {
                // A single write that met a racing writer's key is tried again: the work reads
                // what that writer stored (a larger batch is split into single writes instead).
                boolean retry = Transactions.isTransient(e) || (single && Transactions.isUniqueViolation(e));
                if (!retry || attempt >= attempts) {
                    throw e;
                }
            }
        }
    }
}
