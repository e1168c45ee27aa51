package im.router.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * SQLite only: copies committed pages from the write-ahead log into the database file on a thread
 * of its own, so the group-commit writer seldom has to.
 *
 * <p>Why: SQLite checkpoints in the connection that commits once the log passes its threshold
 * (1000 pages), and a checkpoint forces the log and the database file to disk. On a loaded node
 * that was the writer stopping for 10-25 ms one or two times a second, and every send queued
 * meanwhile waited as long (measured: one-way p99 15-20 ms at 1,000 msgs/s, every second). A
 * passive checkpoint here takes no write lock, so the writer keeps committing while the disk
 * catches up, and the writer's own checkpoint, when it comes, finds little left to copy. Passes
 * follow each other closely while the log grows ({@code im.router.store.checkpoint-interval}:
 * at 100 ms between passes the one-way p99 was 11-13 ms, at 20 ms 8.2, at 5 ms 7.5).
 *
 * <p>The writer's own checkpoint stays as the bound on the log: the log starts over only when a
 * transaction begins with all of it copied, which under steady load a pass here may never see. The
 * standalone raises that threshold to 10,000 pages ({@code PRAGMA wal_autocheckpoint} on each new
 * connection), so the writer checkpoints once per ~40 MB of log instead of after nearly every
 * commit, and finds most of it copied here already.
 *
 * <p>Once the log is all copied and stopped growing, the checkpointer rests until the next commit
 * wakes it ({@link Transactions#afterCommit}): a node that nobody writes to runs no pass at all
 * (looking every 100 ms was most of what an idle standalone spent holding its connections).
 */
@ApplicationScoped
public class WalCheckpointer {

    private static final Logger LOG = Logger.getLogger(WalCheckpointer.class);
    // After a failed pass: the database may be back soon; a pass with nothing to copy is cheap.
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(100);
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

    private final Transactions transactions;
    private final StoreConfig config;
    private ScheduledExecutorService thread;
    // Commits since start (any thread), and whether no pass is scheduled until the next commit.
    private final AtomicLong commits = new AtomicLong();
    private final AtomicBoolean resting = new AtomicBoolean();
    // Only the checkpointer thread reads and writes these.
    private long lastLogFrames = -1;
    private long lastFailureLogNanos;  // 0: the last pass worked
    private long failedSinceLog;

    public WalCheckpointer(Transactions transactions, StoreConfig config) {
        this.transactions = transactions;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (transactions.dialect() != SqlDialect.SQLITE || config.checkpointInterval().isZero()) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread checkpointer = new Thread(task, "router-wal-checkpointer");
            checkpointer.setDaemon(true);
            return checkpointer;
        });
        transactions.afterCommit(this::committed);
        schedule(config.checkpointInterval());
    }

    /** After a commit: wakes a resting checkpointer (one compare-and-set while it works). */
    private void committed() {
        commits.incrementAndGet();
        if (resting.get() && resting.compareAndSet(true, false)) {
            schedule(config.checkpointInterval());
        }
    }

    /** One pass, then the next: soon while the log grows, none once it is all copied until a commit. */
    private void pass() {
        long commitsBefore = commits.get();
        Outcome outcome = checkpoint();
        if (outcome != Outcome.IDLE) {
            schedule(outcome == Outcome.FAILED ? RETRY_INTERVAL : config.checkpointInterval());
            return;
        }
        resting.set(true);
        // A commit between the pass and the line above found the checkpointer awake and woke
        // nobody: look once more rather than rest with its pages uncopied.
        if (commits.get() != commitsBefore && resting.compareAndSet(true, false)) {
            schedule(config.checkpointInterval());
        }
    }

    private void schedule(Duration after) {
        try {
            thread.schedule(this::pass, after.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // shut down
        }
    }

    private enum Outcome { GROWING, IDLE, FAILED }

    /** Frames in the write-ahead log, and how many of them are in the database file now. */
    record Progress(long logFrames, long copiedFrames) {
    }

    /** One passive pass on {@code connection}: copies what no reader still needs; never waits for the writer. */
    static Progress passive(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            result.next();
            return new Progress(result.getLong(2), result.getLong(3));
        }
    }

    /** IDLE when nothing was written since the last pass and all of it is copied: the next pass may wait. */
    private Outcome checkpoint() {
        try {
            Progress progress = transactions.read(WalCheckpointer::passive);
            // "All copied" alone comes often under load too (a pass that caught up, a log just
            // started over); only a log that stopped changing is idle.
            boolean idle = progress.copiedFrames() >= progress.logFrames() && progress.logFrames() == lastLogFrames;
            lastLogFrames = progress.logFrames();
            if (lastFailureLogNanos != 0) {
                LOG.infof("WAL checkpoint works again (%d passes failed since the last line)", failedSinceLog);
                lastFailureLogNanos = 0;
                failedSinceLog = 0;
            }
            return idle ? Outcome.IDLE : Outcome.GROWING;
        } catch (SQLException | RuntimeException e) {
            // The writer's own checkpoint still bounds the log; this pass is an optimisation.
            failed(e);
            return Outcome.FAILED;
        }
    }

    /**
     * Passes run ten times a second while the database fails: the first failure is logged, then
     * one line a minute with how many failed since.
     */
    private void failed(Exception e) {
        failedSinceLog++;
        long now = System.nanoTime();
        if (lastFailureLogNanos == 0 || now - lastFailureLogNanos >= FAILURE_LOG_INTERVAL.toNanos()) {
            LOG.warnf("WAL checkpoint failed (%d passes since the last line): %s", failedSinceLog, e.getMessage());
            lastFailureLogNanos = now;
            failedSinceLog = 0;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
