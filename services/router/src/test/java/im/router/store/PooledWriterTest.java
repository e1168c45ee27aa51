package im.router.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.testing.TestTokensResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The group-commit writer's transactions on the router's pooled MariaDB datasource. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class PooledWriterTest {

    @Inject
    Transactions transactions;

    @BeforeEach
    void probeTable() throws SQLException {
        ProbeTable.recreate(transactions, "pooled_writer_probe", "k INT NOT NULL PRIMARY KEY");
    }

    @Test
    void transactionsInARowShareOneConnectionWithoutSwitchingCommitModes() throws SQLException {
        try (Transactions.Writer writer = transactions.writer()) {
            long connection = writer.write(PooledWriterTest::connectionId);
            long modeSwitches = writer.write(PooledWriterTest::modeSwitches);
            insert(writer, 1);
            insert(writer, 2);

            assertEquals(connection, writer.write(PooledWriterTest::connectionId));
            // A pooled transaction pays a SET autocommit on the way in and one on the way back.
            assertEquals(modeSwitches, writer.write(PooledWriterTest::modeSwitches));
        }
        assertEquals(2, rows());
    }

    @Test
    void aFailedTransactionIsRolledBackAndTheNextOneCommits() throws SQLException {
        try (Transactions.Writer writer = transactions.writer()) {
            assertThrows(SQLException.class, () -> writer.write(connection -> {
                insertOn(connection, 1);
                insertOn(connection, 1);  // the same key: refused
                return null;
            }));
            insert(writer, 2);
        }
        assertEquals(1, rows());
    }

    @Test
    void aConnectionTheServerDroppedCostsOneTransactionThenAnotherIsTaken() throws SQLException {
        try (Transactions.Writer writer = transactions.writer()) {
            long dropped = writer.write(PooledWriterTest::connectionId);
            transactions.read(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("KILL CONNECTION " + dropped);
                }
                return null;
            });

            assertThrows(SQLException.class, () -> insert(writer, 1));
            insert(writer, 2);

            assertNotEquals(dropped, writer.write(PooledWriterTest::connectionId));
        }
        assertEquals(1, rows());
    }

    private static void insert(Transactions.Writer writer, int key) throws SQLException {
        writer.write(connection -> {
            insertOn(connection, key);
            return null;
        });
    }

    private static void insertOn(Connection connection, int key) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pooled_writer_probe (k) VALUES (?)")) {
            insert.setInt(1, key);
            insert.executeUpdate();
        }
    }

    private static long connectionId(Connection connection) throws SQLException {
        return single(connection, "SELECT CONNECTION_ID()");
    }

    private static long modeSwitches(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW SESSION STATUS LIKE 'Com_set_option'")) {
            row.next();
            return row.getLong(2);
        }
    }

    private long rows() throws SQLException {
        return transactions.read(connection -> single(connection, "SELECT COUNT(*) FROM pooled_writer_probe"));
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
