package im.router.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpointer's pass on a real SQLite file opened as the standalone app opens it. */
class WalCheckpointerTest {

    @TempDir
    Path dir;
    private String url;

    @BeforeEach
    void database() throws SQLException {
        // busy_timeout=0: a pass that waited for the writer would fail at once instead
        url = "jdbc:sqlite:" + dir.resolve("router.db")
                + "?journal_mode=WAL&synchronous=NORMAL&transaction_mode=IMMEDIATE&busy_timeout=0";
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE message (id INTEGER NOT NULL PRIMARY KEY, body BLOB NOT NULL)");
        }
    }

    @Test
    void aPassCopiesEveryCommittedPageWhileTheWriterHoldsItsTransaction() throws SQLException {
        try (Connection writer = DriverManager.getConnection(url); Connection checkpointer = DriverManager.getConnection(url)) {
            try (Statement statement = writer.createStatement()) {
                statement.execute("PRAGMA wal_autocheckpoint=0");  // only the pass copies here
            }
            insert(writer, 1, 500);
            writer.setAutoCommit(false);
            insert(writer, 501, 600);  // not committed: the writer holds the write lock through the pass

            WalCheckpointer.Progress progress = WalCheckpointer.passive(checkpointer);

            assertTrue(progress.logFrames() > 0, progress.toString());
            assertEquals(progress.logFrames(), progress.copiedFrames(), "every committed frame is in the database file");
            writer.commit();
        }
    }

    private static void insert(Connection connection, int from, int to) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO message (id, body) VALUES (?, ?)")) {
            for (int id = from; id <= to; id++) {
                insert.setInt(1, id);
                insert.setBytes(2, new byte[100]);
                insert.executeUpdate();
            }
        }
    }
}
