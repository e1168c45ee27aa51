package im.router.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's SQLite-specific behaviour on a real SQLite file, as the standalone app opens it:
 * the failures the group commit reacts to are recognised, and the dialect's statements run.
 */
class SqliteDialectTest {

    @TempDir
    Path dir;
    private String url;

    @BeforeEach
    void database() throws SQLException {
        url = "jdbc:sqlite:" + dir.resolve("router.db") + "?journal_mode=WAL&transaction_mode=IMMEDIATE&busy_timeout=0";
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE keyed (k VARCHAR(64) NOT NULL PRIMARY KEY, v BIGINT NOT NULL) WITHOUT ROWID");
            statement.execute("CREATE TABLE unique_pair (id INTEGER NOT NULL PRIMARY KEY, a BIGINT NOT NULL, "
                    + "b VARCHAR(64) NOT NULL, CONSTRAINT uq_pair UNIQUE (a, b))");
        }
    }

    @Test
    void dialectIsSqliteAndItsStatementsRun() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            SqlDialect dialect = SqlDialect.ofDbKind("sqlite");
            String insert = dialect.insertUnlessPresent("INSERT INTO keyed (k, v) VALUES (?, ?)", "v");
            for (long v : new long[] {1, 2}) {
                try (PreparedStatement statement = connection.prepareStatement(insert)) {
                    statement.setString(1, "c");
                    statement.setLong(2, v);
                    statement.executeUpdate();
                }
            }
            try (PreparedStatement read = connection.prepareStatement(
                    dialect.lockingRead("SELECT v FROM keyed WHERE k = ?"))) {
                read.setString(1, "c");
                try (ResultSet rows = read.executeQuery()) {
                    assertTrue(rows.next());
                    assertEquals(1, rows.getLong(1), "the first row stays; the second insert did nothing");
                }
            }
        }
    }

    @Test
    void aRepeatedUniqueKeyInABatchIsAUniqueViolation() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO unique_pair (id, a, b) VALUES (?, 7, 'same')")) {
                insert.setLong(1, 1);
                insert.addBatch();
                insert.setLong(1, 2);
                insert.addBatch();
                SQLException refused = assertThrows(SQLException.class, insert::executeBatch);
                assertTrue(Transactions.isUniqueViolation(refused), refused.toString());
                assertFalse(Transactions.isTransient(refused));
            }
            connection.rollback();
        }
    }

    @Test
    void aRepeatedPrimaryKeyIsAUniqueViolation() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO keyed (k, v) VALUES ('c', 1)");
            SQLException refused = assertThrows(SQLException.class,
                    () -> statement.execute("INSERT INTO keyed (k, v) VALUES ('c', 2)"));
            assertTrue(Transactions.isUniqueViolation(refused), refused.toString());
        }
    }

    @Test
    void aSecondWriterThatFindsTheWriteLockTakenIsTransient() throws SQLException {
        try (Connection first = DriverManager.getConnection(url); Connection second = DriverManager.getConnection(url)) {
            first.setAutoCommit(false);
            try (Statement write = first.createStatement()) {
                write.execute("INSERT INTO keyed (k, v) VALUES ('a', 1)");
            }
            // An IMMEDIATE transaction asks for the write lock when it begins.
            SQLException busy = assertThrows(SQLException.class, () -> second.setAutoCommit(false));
            assertTrue(Transactions.isTransient(busy), busy.toString());
            assertFalse(Transactions.isUniqueViolation(busy));
            first.commit();
        }
    }
}
