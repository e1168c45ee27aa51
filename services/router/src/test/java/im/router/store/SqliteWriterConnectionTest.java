package im.router.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group-commit writer's own SQLite connection on a real file opened as the standalone opens
 * router.db: statements prepared once, transactions that commit or leave nothing, and no lock
 * held between them.
 */
class SqliteWriterConnectionTest {

    private static final String INSERT = "INSERT INTO item (id, v) VALUES (?, ?)";

    @TempDir
    Path dir;
    private String url;

    @BeforeEach
    void database() throws SQLException {
        url = "jdbc:sqlite:" + dir.resolve("router.db")
                + "?journal_mode=WAL&synchronous=NORMAL&transaction_mode=IMMEDIATE&busy_timeout=0";
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE item (id INTEGER NOT NULL PRIMARY KEY, v BIGINT NOT NULL)");
        }
    }

    @Test
    void aStatementIsPreparedOnceAndServesEveryLaterTransaction() throws SQLException {
        try (SqliteWriterConnection connection = SqliteWriterConnection.open(url, List.of())) {
            PreparedStatement first = connection.prepareStatement(INSERT);
            insert(first, 1, 10);
            first.close();
            connection.commit();
            PreparedStatement second = connection.prepareStatement(INSERT);
            insert(second, 2, 20);
            second.close();
            connection.commit();

            assertSame(first, second);
            assertEquals(1, connection.keptStatements());
        }
        assertEquals(List.of(10L, 20L), committedValues());
    }

    @Test
    void aStatementAskedForWhileTheKeptOneIsInUseIsPreparedAfresh() throws SQLException {
        try (SqliteWriterConnection connection = SqliteWriterConnection.open(url, List.of());
                PreparedStatement outer = connection.prepareStatement(INSERT);
                PreparedStatement inner = connection.prepareStatement(INSERT)) {
            assertNotSame(outer, inner);
            insert(outer, 1, 10);
            insert(inner, 2, 20);
            connection.commit();
            assertEquals(1, connection.keptStatements());
        }
        assertEquals(List.of(10L, 20L), committedValues());
    }

    @Test
    void closingAKeptStatementDropsTheBatchItHeld() throws SQLException {
        try (SqliteWriterConnection connection = SqliteWriterConnection.open(url, List.of())) {
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                statement.setLong(1, 1);
                statement.setLong(2, 10);
                statement.addBatch();
                // closed without executing, as when the work failed halfway
            }
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                statement.setLong(1, 2);
                statement.setLong(2, 20);
                statement.addBatch();
                assertEquals(1, statement.executeBatch().length);
            }
            connection.commit();
        }
        assertEquals(List.of(20L), committedValues());
    }

    @Test
    void otherConnectionsWriteWhileTheWriterIsBetweenTransactions() throws SQLException {
        try (SqliteWriterConnection writer = SqliteWriterConnection.open(url, List.of());
                Connection other = DriverManager.getConnection(url)) {
            try (PreparedStatement statement = writer.prepareStatement(INSERT)) {
                insert(statement, 1, 10);
            }
            writer.commit();

            // busy_timeout=0: a lock still held by the writer would fail this at once
            other.setAutoCommit(false);
            try (PreparedStatement statement = other.prepareStatement(INSERT)) {
                insert(statement, 2, 20);
            }
            other.commit();
            other.setAutoCommit(true);

            try (PreparedStatement statement = writer.prepareStatement(INSERT)) {
                insert(statement, 3, 30);
            }
            writer.commit();
        }
        assertEquals(List.of(10L, 20L, 30L), committedValues());
    }

    @Test
    void aTransactionThatReadBeforeAnotherConnectionsCommitFailsAsTransientOnItsFirstWrite() throws SQLException {
        try (SqliteWriterConnection writer = SqliteWriterConnection.open(url, List.of());
                Connection other = DriverManager.getConnection(url)) {
            try (PreparedStatement read = writer.prepareStatement("SELECT count(*) FROM item");
                    ResultSet rows = read.executeQuery()) {
                rows.next();
                assertEquals(0, rows.getLong(1));
            }
            try (PreparedStatement statement = other.prepareStatement(INSERT)) {
                insert(statement, 1, 10);
            }

            SQLException stale = assertThrows(SQLException.class, () -> {
                try (PreparedStatement statement = writer.prepareStatement(INSERT)) {
                    insert(statement, 2, 20);
                }
            });
            assertTrue(Transactions.isTransient(stale), stale.toString());
        }
        assertEquals(List.of(10L), committedValues());
    }

    @Test
    void aFailedTransactionLeavesNothingAndTheNextOneCommits() throws SQLException {
        Transactions transactions = new Transactions(null, "sqlite", Optional.of(url), Optional.empty());
        try (Transactions.Writer writer = transactions.writer()) {
            assertThrows(SQLException.class, () -> writer.write(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                    insert(statement, 1, 10);
                    insert(statement, 1, 11);  // the same key: refused
                }
                return null;
            }));
            writer.write(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                    insert(statement, 2, 20);
                }
                return null;
            });
        }
        assertEquals(List.of(20L), committedValues());
    }

    @Test
    void theWritersConnectionRunsTheNewConnectionSqlAndTheUrlsPragmas() throws SQLException {
        Transactions transactions = new Transactions(null, "sqlite", Optional.of(url),
                Optional.of("PRAGMA wal_autocheckpoint=10000"));
        try (Transactions.Writer writer = transactions.writer()) {
            long checkpointPages = writer.write(connection -> pragma(connection, "wal_autocheckpoint"));
            // Unlike the journal mode, which the file keeps, synchronous is the connection's own:
            // NORMAL (1) comes from the URL, SQLite's default is FULL (2).
            long synchronous = writer.write(connection -> pragma(connection, "synchronous"));
            assertEquals(10_000, checkpointPages);
            assertEquals(1, synchronous);
        }
    }

    private static void insert(PreparedStatement statement, long id, long v) throws SQLException {
        statement.setLong(1, id);
        statement.setLong(2, v);
        statement.executeUpdate();
    }

    private static long pragma(Connection connection, String name) throws SQLException {
        return Long.parseLong(pragmaText(connection, name));
    }

    private static String pragmaText(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private List<Long> committedValues() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT v FROM item ORDER BY id")) {
            java.util.ArrayList<Long> values = new java.util.ArrayList<>();
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
            return values;
        }
    }
}
