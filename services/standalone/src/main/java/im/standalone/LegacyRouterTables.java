package im.standalone;

import im.router.store.Transactions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Moves the router's tables of a data directory written before the router had a database of its
 * own (everything lived in H2's im.mv.db) into router.db, once, before the chat listeners open.
 *
 * <p>The copy is one SQLite transaction whose inserts skip rows router.db already holds; the H2
 * tables are dropped only after it committed. A crash between the two repeats the copy at the
 * next start, which then changes nothing.
 */
@ApplicationScoped
public class LegacyRouterTables {

    private static final Logger LOG = Logger.getLogger(LegacyRouterTables.class);
    private static final int BATCH = 1000;

    /** A router table and its columns, in the order both schemas have them. */
    record Table(String name, List<String> columns) {
    }

    // Parents before children is not needed (no foreign keys), but it reads naturally.
    static final List<Table> TABLES = List.of(
            new Table("conversation", List.of("id", "last_seq", "created_at")),
            new Table("conversation_member", List.of("conversation_id", "user_id", "joined_at",
                    "last_delivered_seq", "last_read_seq")),
            new Table("message", List.of("msg_id", "conversation_id", "seq", "sender_id", "sender_device_id",
                    "client_msg_id", "body", "created_at")),
            new Table("delivery_cursor", List.of("user_id", "device_id", "conversation_id", "last_ack_seq",
                    "updated_at")),
            new Table("send_sequence", List.of("user_id", "device_id", "conversation_id", "last_client_seq",
                    "updated_at")));

    // Before the listeners (TcpServer, WebSocketServer observe at the default priority).
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
            AgroalDataSource shared, @DataSource(Transactions.DATASOURCE) AgroalDataSource router) throws SQLException {
        try (Connection from = shared.getConnection(); Connection to = router.getConnection()) {
            long copied = move(from, to);
            if (copied >= 0) {
                LOG.infof("Moved the router's tables from im.mv.db to router.db (%d rows)", copied);
            }
        }
    }

    /**
     * Copies the router's tables from {@code from} (H2) into {@code to} (SQLite, migrated) and
     * drops them in {@code from}; answers the rows copied, or -1 when {@code from} holds none of
     * the router's tables.
     */
    static long move(Connection from, Connection to) throws SQLException {
        if (!hasTable(from, "message")) {
            return -1;
        }
        boolean autoCommit = to.getAutoCommit();
        to.setAutoCommit(false);
        long copied = 0;
        try {
            for (Table table : TABLES) {
                copied += copy(from, to, table);
            }
            to.commit();
        } catch (SQLException | RuntimeException e) {
            to.rollback();
            throw e;
        } finally {
            to.setAutoCommit(autoCommit);
        }
        try (Statement drop = from.createStatement()) {
            for (Table table : TABLES) {
                drop.execute("DROP TABLE IF EXISTS " + table.name());
            }
            // Their migrations now live in router.db's history; im.mv.db's history forgets them.
            drop.execute("DELETE FROM flyway_schema_history WHERE version LIKE '4.%'");
        }
        return copied;
    }

    private static long copy(Connection from, Connection to, Table table) throws SQLException {
        String columns = String.join(", ", table.columns());
        String marks = String.join(", ", table.columns().stream().map(column -> "?").toList());
        long rows = 0;
        try (Statement select = from.createStatement();
                ResultSet source = select.executeQuery("SELECT " + columns + " FROM " + table.name());
                PreparedStatement insert = to.prepareStatement("INSERT INTO " + table.name() + " (" + columns
                        + ") VALUES (" + marks + ") ON CONFLICT DO NOTHING")) {
            int width = table.columns().size();
            while (source.next()) {
                for (int column = 1; column <= width; column++) {
                    Object value = source.getObject(column);
                    if (value instanceof Blob blob) {
                        value = blob.getBytes(1, (int) blob.length());
                    }
                    insert.setObject(column, value);
                }
                insert.addBatch();
                if (++rows % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return rows;
    }

    private static boolean hasTable(Connection connection, String name) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, name, new String[] {"TABLE"})) {
            return tables.next();
        }
    }
}
