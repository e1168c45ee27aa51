package im.bench.store;

import com.sun.management.ThreadMXBean;
import im.client.sdk.ClientMsgIds;
import im.router.conversation.ConversationRepository;
import im.router.cursor.DeliveryCursorRepository;
import im.router.cursor.MemberCursorRepository;
import im.router.message.MessageRepository;
import im.router.send.SendSequenceRepository;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.SplittableRandom;
import org.flywaydb.core.Flyway;

/**
 * The router's write of one message, on the standalone's two embedded engines side by side in one
 * thread: insert the message, move its conversation's seq and its device's send number from the
 * values before (compare-and-set), move the receiver's device and member cursors; one commit per
 * batch. Schemas are the router's own migrations (H2 runs the MySQL ones in MySQL mode, as the
 * standalone did before router.db); the statements are the router's own, those of its memory path.
 */
public final class StoreEngines {

    /** An engine as the standalone opens it, and the folder of the router's migrations for it. */
    public enum Engine {
        H2("classpath:db/migration/router", "sa") {
            @Override
            String url(Path dir) {
                return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("im") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;QUERY_CACHE_SIZE=64";
            }
        },
        SQLITE("classpath:db/migration/router-sqlite", null) {
            @Override
            String url(Path dir) {
                return "jdbc:sqlite:" + dir.toAbsolutePath().resolve("router.db")
                        + "?journal_mode=WAL&synchronous=NORMAL&transaction_mode=IMMEDIATE&cache_size=-16384"
                        + "&temp_store=MEMORY";
            }
        };

        private final String migrations;
        private final String user;

        Engine(String migrations, String user) {
            this.migrations = migrations;
            this.user = user;
        }

        abstract String url(Path dir);
    }

    /** CPU and garbage of the writing thread, per message; {@code stored} rows counted afterwards. */
    public record Result(Engine engine, int batch, int messages, double wallMicros, double cpuMicros,
            double allocatedBytes, long stored) {
    }

    // The router's own statements (compile-time constants: nothing of the router is loaded).
    private static final String INSERT = MessageRepository.INSERT;
    private static final String MOVE_SEQ = ConversationRepository.ADVANCE_FROM;
    private static final String MOVE_NUMBER = SendSequenceRepository.SET_LAST_AFTER;
    private static final String MOVE_DEVICE_CURSOR = DeliveryCursorRepository.MOVE;
    private static final String MOVE_MEMBER_CURSOR = MemberCursorRepository.ADVANCE_DELIVERED;
    private static final String MOVE_SENDER_READ = MemberCursorRepository.ADVANCE_READ;

    private StoreEngines() {
    }

    /**
     * Writes {@code warmup} messages, then measures {@code messages} more, in batches of
     * {@code batch}, over {@code conversations} pairs, in a fresh database under {@code dir}.
     */
    public static Result measure(Engine engine, Path dir, int conversations, int batch, int warmup, int messages,
            int payload) throws SQLException {
        ThreadMXBean thread = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        String url = engine.url(dir);
        // Every migration of the folder, as the app runs them: the schema of the latest version.
        Flyway.configure().dataSource(url, engine.user, "").locations(engine.migrations).load().migrate();
        try (Connection connection = DriverManager.getConnection(url, engine.user, "")) {
            connection.setAutoCommit(false);
            seed(connection, conversations);
            long[] seqs = new long[conversations];
            Writer writer = new Writer(connection, seqs, new byte[payload]);
            writer.write(batch, warmup);
            long allocated = thread.getCurrentThreadAllocatedBytes();
            long cpu = thread.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            writer.write(batch, messages);
            wall = System.nanoTime() - wall;
            cpu = thread.getCurrentThreadCpuTime() - cpu;
            allocated = thread.getCurrentThreadAllocatedBytes() - allocated;
            long stored;
            try (Statement count = connection.createStatement();
                    ResultSet rows = count.executeQuery("SELECT COUNT(*) FROM message")) {
                rows.next();
                stored = rows.getLong(1);
            }
            return new Result(engine, batch, messages, wall / 1e3 / messages, cpu / 1e3 / messages,
                    (double) allocated / messages, stored);
        }
    }

    /** Conversation i is between users 2i (sender, device "d") and 2i+1 (receiver, device "d"). */
    private static void seed(Connection connection, int conversations) throws SQLException {
        try (PreparedStatement conversation = connection.prepareStatement(
                        "INSERT INTO conversation (id, last_seq, created_at) VALUES (?, 0, 0)");
                PreparedStatement member = connection.prepareStatement(
                        "INSERT INTO conversation_member (conversation_id, user_id, joined_at) VALUES (?, ?, 0)");
                PreparedStatement cursor = connection.prepareStatement("INSERT INTO delivery_cursor "
                        + "(user_id, device_id, conversation_id, last_ack_seq, updated_at) VALUES (?, 'd', ?, 0, 0)");
                PreparedStatement number = connection.prepareStatement("INSERT INTO send_sequence "
                        + "(user_id, device_id, conversation_id, last_client_seq, updated_at) VALUES (?, 'd', ?, 0, 0)")) {
            for (int i = 0; i < conversations; i++) {
                String id = "p:" + (2 * i) + ":" + (2 * i + 1);
                conversation.setString(1, id);
                conversation.executeUpdate();
                for (long user : new long[] {2L * i, 2L * i + 1}) {
                    member.setString(1, id);
                    member.setLong(2, user);
                    member.executeUpdate();
                }
                cursor.setLong(1, 2L * i + 1);
                cursor.setString(2, id);
                cursor.executeUpdate();
                number.setLong(1, 2L * i);
                number.setString(2, id);
                number.executeUpdate();
            }
        }
        connection.commit();
    }

    private static final class Writer {
        private final Connection connection;
        private final long[] seqs;
        private final byte[] body;
        private final SplittableRandom random = new SplittableRandom(1);
        private long nextMsgId = 1;

        Writer(Connection connection, long[] seqs, byte[] body) {
            this.connection = connection;
            this.seqs = seqs;
            this.body = body;
        }

        /** Statements prepared per batch, as the router's writer does. */
        void write(int batch, int messages) throws SQLException {
            for (int written = 0; written < messages; written += batch) {
                try (PreparedStatement insert = connection.prepareStatement(INSERT);
                        PreparedStatement moveSeq = connection.prepareStatement(MOVE_SEQ);
                        PreparedStatement moveNumber = connection.prepareStatement(MOVE_NUMBER);
                        PreparedStatement moveDevice = connection.prepareStatement(MOVE_DEVICE_CURSOR);
                        PreparedStatement moveMember = connection.prepareStatement(MOVE_MEMBER_CURSOR);
                        PreparedStatement moveSenderRead = connection.prepareStatement(MOVE_SENDER_READ)) {
                    for (int k = 0; k < Math.min(batch, messages - written); k++) {
                        int i = random.nextInt(seqs.length);
                        long seq = ++seqs[i];
                        String conversation = "p:" + (2 * i) + ":" + (2 * i + 1);
                        long sender = 2L * i;
                        long receiver = sender + 1;
                        insert.setLong(1, nextMsgId++);
                        insert.setString(2, conversation);
                        insert.setLong(3, seq);
                        insert.setLong(4, sender);
                        insert.setString(5, "d");
                        insert.setString(6, ClientMsgIds.next());  // the SDK's time-ordered keys
                        insert.setBytes(7, body);
                        insert.setLong(8, seq);
                        insert.addBatch();
                        bind(moveSeq, seq, seq, conversation, seq - 1);
                        bind(moveNumber, seq, seq, sender, "d", conversation, seq - 1);
                        bind(moveDevice, seq, seq, receiver, "d", conversation, seq);
                        bind(moveMember, seq, conversation, receiver, seq);
                        bind(moveSenderRead, seq, conversation, sender, seq);
                    }
                    for (PreparedStatement statement
                            : List.of(insert, moveSeq, moveNumber, moveDevice, moveMember, moveSenderRead)) {
                        statement.executeBatch();
                    }
                }
                connection.commit();
            }
        }

        private static void bind(PreparedStatement statement, Object... values) throws SQLException {
            for (int at = 0; at < values.length; at++) {
                statement.setObject(at + 1, values[at]);
            }
            statement.addBatch();
        }
    }
}
