package im.router.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.router.store.Transactions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V4_4 on the standalone's router database (SQLite): the message table is rebuilt so that its
 * idempotency key's index leads with client_msg_id. What was stored before stays, and the key
 * still refuses a repeat.
 */
class IdempotencyKeyRebuildTest {

    private static final String INSERT = "INSERT INTO message (msg_id, conversation_id, seq, sender_id, "
            + "sender_device_id, client_msg_id, body, created_at) VALUES (?, 'p:1:2', ?, ?, 'phone', ?, ?, 0)";

    @TempDir
    Path dir;

    @Test
    void messagesStoredBeforeTheRebuildStayAndARepeatOfTheirKeyIsStillRefused() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("router.db");
        migrate(url, MigrationVersion.fromVersion("4.3"));
        try (Connection connection = DriverManager.getConnection(url)) {
            insert(connection, 10, 1, 1, "0190a1b2-0000-7000-8000-000000000001");
            insert(connection, 11, 2, 2, "0190a1b2-0000-7000-8000-000000000001");
        }

        migrate(url, MigrationVersion.LATEST);

        try (Connection connection = DriverManager.getConnection(url)) {
            assertEquals(List.of("10:1:1", "11:2:2"), rows(connection));
            SQLException repeat = assertThrows(SQLException.class,
                    () -> insert(connection, 12, 3, 1, "0190a1b2-0000-7000-8000-000000000001"));
            assertTrue(Transactions.isUniqueViolation(repeat), repeat::getMessage);
            insert(connection, 13, 3, 1, "0190a1b2-0000-7000-8000-000000000002");
            assertEquals(List.of("10:1:1", "11:2:2", "13:3:1"), rows(connection), "a new key of the same sender is taken");
        }
    }

    @Test
    void theLookupOfAResendUsesTheKeysIndex() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("router.db");
        migrate(url, MigrationVersion.LATEST);
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement explain = connection.prepareStatement(
                        "EXPLAIN QUERY PLAN SELECT msg_id FROM message WHERE sender_id = ? AND client_msg_id = ?")) {
            explain.setLong(1, 1);
            explain.setString(2, "k");
            StringBuilder plan = new StringBuilder();
            try (ResultSet steps = explain.executeQuery()) {
                while (steps.next()) {
                    plan.append(steps.getString("detail")).append(" / ");
                }
            }
            assertTrue(plan.toString().contains("(client_msg_id=? AND sender_id=?)"), plan::toString);
        }
    }

    private static void migrate(String url, MigrationVersion target) {
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/router-sqlite")
                .target(target).load().migrate();
    }

    private static void insert(Connection connection, long msgId, long seq, long senderId, String clientMsgId)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setLong(1, msgId);
            insert.setLong(2, seq);
            insert.setLong(3, senderId);
            insert.setString(4, clientMsgId);
            insert.setBytes(5, new byte[] {1});
            insert.executeUpdate();
        }
    }

    private static List<String> rows(Connection connection) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT msg_id, seq, sender_id FROM message ORDER BY msg_id");
                ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.add(result.getLong(1) + ":" + result.getLong(2) + ":" + result.getLong(3));
            }
        }
        return rows;
    }
}
