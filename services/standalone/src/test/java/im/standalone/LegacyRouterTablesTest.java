package im.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory from before router.db: the router's tables, made by the MySQL-dialect
 * migrations in H2, move to a SQLite router.db that the SQLite migrations made. The whole app on
 * such a directory: LegacyDataDirectoryTest in system-tests.
 */
class LegacyRouterTablesTest {

    private static final String LEGACY_ROUTER_SCHEMA = "4.4";

    @TempDir
    Path dataDir;
    private String h2Url;
    private String sqliteUrl;

    @BeforeEach
    void legacyDataDirectory() throws SQLException {
        h2Url = "jdbc:h2:file:" + dataDir + "/im;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        sqliteUrl = "jdbc:sqlite:" + dataDir + "/router.db";
        // The router's tables as a data directory from before router.db held them: no later migration.
        Flyway.configure().dataSource(h2Url, "sa", "").outOfOrder(true).locations("classpath:db/migration/auth",
                "classpath:db/migration/user", "classpath:db/migration/leaf", "classpath:db/migration/router")
                .target(LEGACY_ROUTER_SCHEMA).load().migrate();
        Flyway.configure().dataSource(sqliteUrl, null, null)
                .locations("classpath:db/migration/router-sqlite").load().migrate();
        try (Connection h2 = h2(); Statement insert = h2.createStatement()) {
            insert.execute("INSERT INTO conversation VALUES ('p:1:2', 2, 100)");
            insert.execute("INSERT INTO conversation_member VALUES ('p:1:2', 1, 100, 2, 1)");
            insert.execute("INSERT INTO conversation_member VALUES ('p:1:2', 2, 100, 2, 2)");
            insert.execute("INSERT INTO delivery_cursor VALUES (2, 'phone', 'p:1:2', 2, 101)");
            insert.execute("INSERT INTO send_sequence VALUES (1, 'laptop', 'p:1:2', 2, 101)");
        }
        try (Connection h2 = h2(); PreparedStatement insert = h2.prepareStatement(
                "INSERT INTO message VALUES (?, 'p:1:2', ?, 1, 'laptop', ?, ?, 100)")) {
            for (int seq = 1; seq <= 2; seq++) {
                insert.setLong(1, 1000 + seq);
                insert.setLong(2, seq);
                insert.setString(3, "client-" + seq);
                insert.setBytes(4, ("body " + seq).getBytes(StandardCharsets.UTF_8));
                insert.executeUpdate();
            }
        }
    }

    @Test
    void routerTablesOfAnOldDataDirectoryMoveToRouterDbAndLeaveH2() throws SQLException {
        try (Connection h2 = h2(); Connection sqlite = sqlite()) {
            assertEquals(7, LegacyRouterTables.move(h2, sqlite), "rows copied");
            assertEquals(-1, LegacyRouterTables.move(h2, sqlite), "nothing left to move the second time");
            assertEquals(0, count(h2, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN "
                    + "('conversation', 'conversation_member', 'message', 'delivery_cursor', 'send_sequence')"));
            assertEquals(0, count(h2, "SELECT COUNT(*) FROM flyway_schema_history WHERE version LIKE '4.%'"));
            assertEquals(1, count(h2, "SELECT COUNT(*) FROM flyway_schema_history WHERE version = '3.1'"),
                    "other services' history stays");
        }
        try (Connection sqlite = sqlite()) {
            assertEquals(2, count(sqlite, "SELECT last_seq FROM conversation WHERE id = 'p:1:2'"));
            assertEquals(List.of("1:2:1", "2:2:2"), rows(sqlite,
                    "SELECT user_id || ':' || last_delivered_seq || ':' || last_read_seq FROM conversation_member "
                            + "ORDER BY user_id"));
            assertEquals(List.of("2:phone:2"), rows(sqlite,
                    "SELECT user_id || ':' || device_id || ':' || last_ack_seq FROM delivery_cursor"));
            assertEquals(List.of("1:laptop:2"), rows(sqlite,
                    "SELECT user_id || ':' || device_id || ':' || last_client_seq FROM send_sequence"));
            try (Statement query = sqlite.createStatement();
                    ResultSet messages = query.executeQuery("SELECT msg_id, seq, client_msg_id, body FROM message "
                            + "ORDER BY seq")) {
                for (int seq = 1; seq <= 2; seq++) {
                    messages.next();
                    assertEquals(1000 + seq, messages.getLong(1));
                    assertEquals(seq, messages.getLong(2));
                    assertEquals("client-" + seq, messages.getString(3));
                    assertArrayEquals(("body " + seq).getBytes(StandardCharsets.UTF_8), messages.getBytes(4));
                }
            }
        }
    }

    @Test
    void aRepeatedMoveKeepsWhatRouterDbAlreadyHolds() throws SQLException {
        // As after a crash between the copy's commit and the drop, with a message stored since.
        try (Connection sqlite = sqlite(); Statement write = sqlite.createStatement()) {
            write.execute("INSERT INTO conversation (id, last_seq, created_at) VALUES ('p:1:2', 3, 100)");
            write.execute("INSERT INTO message (msg_id, conversation_id, seq, sender_id, sender_device_id, "
                    + "client_msg_id, body, created_at) VALUES (1003, 'p:1:2', 3, 1, 'laptop', 'client-3', x'00', 300)");
        }
        try (Connection h2 = h2(); Connection sqlite = sqlite()) {
            LegacyRouterTables.move(h2, sqlite);
            assertEquals(3, count(sqlite, "SELECT last_seq FROM conversation WHERE id = 'p:1:2'"));
            assertEquals(List.of("1", "2", "3"), rows(sqlite, "SELECT seq FROM message ORDER BY seq"));
        }
    }

    @Test
    void aNewDataDirectoryHasNothingToMove() throws Exception {
        Path fresh = Files.createDirectory(dataDir.resolve("fresh"));
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + fresh + "/im;DATABASE_TO_LOWER=TRUE", "sa", "");
                Connection sqlite = sqlite()) {
            assertEquals(-1, LegacyRouterTables.move(h2, sqlite));
        }
    }

    private Connection h2() throws SQLException {
        return DriverManager.getConnection(h2Url, "sa", "");
    }

    private Connection sqlite() throws SQLException {
        return DriverManager.getConnection(sqliteUrl);
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement query = connection.createStatement(); ResultSet result = query.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        try (Statement query = connection.createStatement(); ResultSet result = query.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (result.next()) {
                rows.add(result.getString(1));
            }
            return rows;
        }
    }
}
