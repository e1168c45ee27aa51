package im.router.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Group commit: writes that callers hand in one at a time are stored many to a transaction by one
 * writer thread, so the cost of a commit (a log flush on MySQL, a page write on H2) is paid once
 * per batch instead of once per write.
 *
 * <p>There is no waiting window: the writer takes everything that queued up while the previous
 * batch was committing (at most {@code maxBatch}). An idle system commits each write at once; a
 * loaded one commits larger batches. A caller hears of its write only after the batch committed
 * and {@link BatchWork#committed} ran.
 *
 * <p>When a batch fails on a unique key (a racing writer on another node stored the same key
 * first), it is rolled back and each of its writes is retried in a transaction of its own, so one
 * conflicting write cannot fail the others. A deadlock or serialization failure retries the batch.
 *
 * @param <T> one write as the caller hands it in
 * @param <R> what the caller learns of it
 */
public final class GroupCommit<T, R> {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    // How often an idle writer looks whether it should stop.
    private static final long IDLE_POLL_MS = 100;

    /** What a batch does, in one transaction. */
    public interface BatchWork<T, R> {

        /**
         * Writes every item on the connection, inside the transaction, and answers one result per
         * item in the items' order. Throwing rolls the whole batch back.
         */
        List<R> write(Connection connection, List<T> items) throws SQLException;

        /** After the commit, in the writer thread, before any caller hears of it; must not throw. */
        default void committed(List<T> items, List<R> results) {
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

    private record Pending<T, R>(T item, CompletableFuture<R> result) {
    }

    private final String name;
    private final Transactions transactions;
    private final BatchWork<T, R> work;
    private final int maxBatch;
    private final int attempts;
    private final BlockingQueue<Pending<T, R>> queue;
    private final Thread writer;
    private volatile boolean stopping;

    /**
     * @param maxBatch most writes in one transaction
     * @param queueCapacity writes waiting for the writer; beyond it {@link #submit} fails at once
     * @param attempts tries of a batch that hits a deadlock or serialization failure
     */
    public GroupCommit(String name, Transactions transactions, BatchWork<T, R> work, int maxBatch,
            int queueCapacity, int attempts) {
        this.name = name;
        this.transactions = transactions;
        this.work = work;
        this.maxBatch = maxBatch;
        this.attempts = attempts;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = new Thread(this::writeLoop, name + "-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues one write; the stage completes after its batch committed, or fails with {@link NotStored}. */
    public CompletionStage<R> submit(T item) {
        CompletableFuture<R> result = new CompletableFuture<>();
        if (stopping) {
            result.completeExceptionally(new NotStored(name + " is stopping", true, null));
        } else if (!queue.offer(new Pending<>(item, result))) {
            result.completeExceptionally(new NotStored(name + " queue is full", true, null));
        }
        return result;
    }

    /** Stops taking writes, stores those already queued, then ends the writer. */
    public void stop(long timeout, TimeUnit unit) {
        stopping = true;
        try {
            writer.join(unit.toMillis(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending<T, R>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.result().completeExceptionally(new NotStored(name + " stopped", true, null)));
    }

    private void writeLoop() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                // Never interrupted: an interrupt during file I/O would close H2's database file.
                Pending<T, R> first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
            } catch (InterruptedException e) {
                return;
            }
            writeBatch(batch);
            batch.clear();
        }
    }

    private void writeBatch(List<Pending<T, R>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.item()));
        try {
            List<R> results = writeWithRetry(items);
            finish(batch, items, results);
        } catch (SQLException e) {
            if (Transactions.isUniqueViolation(e) && batch.size() > 1) {
                LOG.debugf("%s batch of %d hit a unique key; writing its items one by one", name, batch.size());
                for (Pending<T, R> one : batch) {
                    writeBatch(List.of(one));
                }
                return;
            }
            LOG.errorf(e, "%s batch of %d failed", name, batch.size());
            NotStored failure = new NotStored(name + " store unavailable", false, e);
            batch.forEach(p -> p.result().completeExceptionally(failure));
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s batch of %d failed", name, batch.size());
            NotStored failure = new NotStored(name + " failed", false, e);
            batch.forEach(p -> p.result().completeExceptionally(failure));
        }
    }

    private List<R> writeWithRetry(List<T> items) throws SQLException {
        for (int attempt = 1;; attempt++) {
            try {
                List<R> results = transactions.write(connection -> work.write(connection, items));
                if (results.size() != items.size()) {
                    throw new IllegalStateException(name + " answered " + results.size() + " results for "
                            + items.size() + " items");
                }
                return results;
            } catch (SQLException e) {
                // A single write that met a racing writer's key is tried again: the work reads
                // what that writer stored (a batch is split into single writes by the caller).
                boolean retry = Transactions.isTransient(e) || (items.size() == 1 && Transactions.isUniqueViolation(e));
                if (!retry || attempt >= attempts) {
                    throw e;
                }
            }
        }
    }

    private void finish(List<Pending<T, R>> batch, List<T> items, List<R> results) {
        try {
            work.committed(items, results);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: after-commit step failed", name);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }
}
