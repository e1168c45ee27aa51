package im.router.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * catches up; when the writer's own checkpoint comes it finds only what was written since the last
 * pass. That own checkpoint stays: only a checkpoint in the writer, between its transactions,
 * lets the log start over from its beginning instead of growing.
 */
@ApplicationScoped
public class WalCheckpointer {

    private static final Logger LOG = Logger.getLogger(WalCheckpointer.class);

    private final Transactions transactions;
    private final StoreConfig config;
    private ScheduledExecutorService thread;

    public WalCheckpointer(Transactions transactions, StoreConfig config) {
        this.transactions = transactions;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        long intervalMillis = config.checkpointInterval().toMillis();
        if (transactions.dialect() != SqlDialect.SQLITE || intervalMillis <= 0) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread checkpointer = new Thread(task, "router-wal-checkpointer");
            checkpointer.setDaemon(true);
            return checkpointer;
        });
        thread.scheduleWithFixedDelay(this::checkpoint, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

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

    private void checkpoint() {
        try {
            transactions.read(WalCheckpointer::passive);
        } catch (SQLException | RuntimeException e) {
            // The writer's own checkpoint still bounds the log; this pass is an optimisation.
            LOG.warnf("WAL checkpoint failed: %s", e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
