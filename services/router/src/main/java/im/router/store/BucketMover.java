package im.router.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Copies one bucket's conversations from one shard's database to another and checks the copy; after
 * the map names the new shard, deletes them from the old one. The steps around it (refusing the
 * bucket's writes first, flipping the map after) are in docs/sharding.md. MySQL and MariaDB only,
 * as extra shards are.
 *
 * <p>The copy is an upsert of every row, so an interrupted copy is simply run again. It is right
 * only while the bucket's writes are refused on every router ({@code im.router.shards.moving}):
 * rows that change during the copy would be copied as they were when read.
 *
 * <p>Rows are found per table: conversations, their members and messages by conversation id (the
 * leading column of their keys), device cursors and send numbers by a scan of the table filtered
 * by bucket (their keys lead with the user), streamed.
 */
public final class BucketMover {

    private static final int BATCH = 500;

    /** A per-conversation table: its conversation column, whether that leads an index, its key. */
    private record Table(String name, String conversationColumn, boolean byConversation, List<String> key) {
    }

    private static final Table CONVERSATION = new Table("conversation", "id", true, List.of("id"));
    private static final List<Table> TABLES = List.of(
            CONVERSATION,
            new Table("conversation_member", "conversation_id", true, List.of("conversation_id", "user_id")),
            new Table("group_info", "conversation_id", true, List.of("conversation_id")),
            new Table("group_join_request", "conversation_id", true, List.of("conversation_id", "user_id")),
            new Table("message", "conversation_id", true, List.of("msg_id")),
            new Table("mention", "conversation_id", true, List.of("conversation_id", "user_id", "seq")),
            new Table("message_change", "conversation_id", true, List.of("conversation_id", "seq")),
            new Table("hidden_message", "conversation_id", true, List.of("conversation_id", "user_id", "seq")),
            new Table("delivery_cursor", "conversation_id", false, List.of("user_id", "device_id", "conversation_id")),
            new Table("send_sequence", "conversation_id", false, List.of("user_id", "device_id", "conversation_id")),
            // Scanned, not looked up by conversation: a blob may be uploaded to a private
            // conversation before its first message gives it a conversation row.
            new Table("media_blob", "conversation_id", false, List.of("id")));

    /** What a copy found on both sides: rows per table, and the bucket's conversations. */
    public record Copied(int bucket, int conversations, Map<String, Long> rows) {
    }

    private final DataSource source;
    private final DataSource target;
    private final int buckets;

    public BucketMover(DataSource source, DataSource target, int buckets) {
        this.source = source;
        this.target = target;
        this.buckets = buckets;
    }

    /**
     * Copies the bucket's rows to the target and verifies: every table holds as many of the
     * bucket's rows on both sides, and each conversation's messages on the target are seqs 1..last
     * seq, each once.
     *
     * @throws IllegalStateException when the copy does not match (nothing is deleted anywhere)
     */
    public Copied copy(int bucket) throws SQLException {
        List<String> ids;
        try (Connection from = source.getConnection(); Connection to = target.getConnection()) {
            from.setAutoCommit(true);
            to.setAutoCommit(false);
            ids = conversationsOf(from, bucket);
            for (Table table : TABLES) {
                if (table.byConversation()) {
                    for (String id : ids) {
                        copy(from, to, table, "SELECT * FROM " + table.name() + " WHERE " + table.conversationColumn()
                                + " = ?" + (table.name().equals("message") ? " ORDER BY seq" : ""), bucket, id);
                    }
                } else {
                    copy(from, to, table, "SELECT * FROM " + table.name(), bucket, null);
                }
            }
        }
        return verify(bucket);
    }

    /**
     * Checks that the target holds the bucket as the source does (see {@link #copy}).
     *
     * @throws IllegalStateException when it does not
     */
    public Copied verify(int bucket) throws SQLException {
        return verify(bucket, true);
    }

    /**
     * {@code exact}: the target holds as many of the bucket's rows as the source, per table; else at
     * least as many (after the flip the target takes new writes). Either way each of the source's
     * conversations holds seqs 1..its last seq once each on the target.
     */
    private Copied verify(int bucket, boolean exact) throws SQLException {
        try (Connection from = source.getConnection(); Connection to = target.getConnection()) {
            List<String> ids = conversationsOf(from, bucket);
            Map<String, Long> rows = new LinkedHashMap<>();
            for (Table table : TABLES) {
                long there = count(from, table, bucket, ids);
                long here = count(to, table, bucket, ids);
                if (exact ? there != here : there > here) {
                    throw new IllegalStateException("bucket " + bucket + ": " + table.name() + " holds " + there
                            + " rows on the source and " + here + " on the target");
                }
                rows.put(table.name(), here);
            }
            try (PreparedStatement statement = to.prepareStatement("SELECT c.last_seq, COUNT(m.seq), "
                    + "COALESCE(MIN(m.seq), 0), COALESCE(MAX(m.seq), 0) FROM conversation c "
                    + "LEFT JOIN message m ON m.conversation_id = c.id WHERE c.id = ? GROUP BY c.last_seq")) {
                for (String id : ids) {
                    statement.setString(1, id);
                    try (ResultSet row = statement.executeQuery()) {
                        if (!row.next()) {
                            throw new IllegalStateException("bucket " + bucket + ": conversation " + id + " missing on the target");
                        }
                        long lastSeq = row.getLong(1);
                        boolean gapless = row.getLong(2) == lastSeq
                                && (lastSeq == 0 || (row.getLong(3) == 1 && row.getLong(4) == lastSeq));
                        if (!gapless) {
                            throw new IllegalStateException("bucket " + bucket + ": conversation " + id
                                    + " does not hold seqs 1.." + lastSeq + " once each on the target");
                        }
                    }
                }
            }
            return new Copied(bucket, ids.size(), rows);
        }
    }

    /**
     * Deletes the bucket's rows from the source, after checking the target holds at least as many
     * (it may have taken new writes since the flip) with every conversation gapless. Run only once
     * every router's map names the target for the bucket.
     */
    public void deleteFromSource(int bucket) throws SQLException {
        verify(bucket, false);
        try (Connection from = source.getConnection()) {
            from.setAutoCommit(false);
            List<String> ids = conversationsOf(from, bucket);
            for (Table table : TABLES) {
                if (table.byConversation()) {
                    try (PreparedStatement delete = from.prepareStatement(
                            "DELETE FROM " + table.name() + " WHERE " + table.conversationColumn() + " = ?")) {
                        for (String id : ids) {
                            delete.setString(1, id);
                            delete.executeUpdate();
                            from.commit();
                        }
                    }
                } else {
                    deleteScanned(from, table, bucket);
                }
            }
        }
    }

    /** Conversation ids of the bucket with a conversation row (a message was stored) on the database. */
    private List<String> conversationsOf(Connection connection, int bucket) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement statement = streaming(connection, "SELECT id FROM conversation ORDER BY id");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String id = rows.getString(1);
                if (ShardMap.bucketOf(id, buckets) == bucket) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private void copy(Connection from, Connection to, Table table, String select, int bucket, String id)
            throws SQLException {
        try (PreparedStatement read = streaming(from, select)) {
            if (id != null) {
                read.setString(1, id);
            }
            try (ResultSet rows = read.executeQuery()) {
                ResultSetMetaData meta = rows.getMetaData();
                int columns = meta.getColumnCount();
                int conversationColumn = rows.findColumn(table.conversationColumn());
                try (PreparedStatement write = to.prepareStatement(upsert(table, meta))) {
                    int pending = 0;
                    while (rows.next()) {
                        if (id == null && ShardMap.bucketOf(rows.getString(conversationColumn), buckets) != bucket) {
                            continue;
                        }
                        for (int column = 1; column <= columns; column++) {
                            write.setObject(column, rows.getObject(column));
                        }
                        write.addBatch();
                        if (++pending == BATCH) {
                            write.executeBatch();
                            to.commit();
                            pending = 0;
                        }
                    }
                    if (pending > 0) {
                        write.executeBatch();
                    }
                    to.commit();
                }
            }
        }
    }

    private long count(Connection connection, Table table, int bucket, List<String> ids) throws SQLException {
        long count = 0;
        if (table.byConversation()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT COUNT(*) FROM " + table.name() + " WHERE " + table.conversationColumn() + " = ?")) {
                for (String id : ids) {
                    statement.setString(1, id);
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        count += row.getLong(1);
                    }
                }
            }
            return count;
        }
        try (PreparedStatement statement = streaming(connection,
                "SELECT " + table.conversationColumn() + " FROM " + table.name());
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                if (ShardMap.bucketOf(rows.getString(1), buckets) == bucket) {
                    count++;
                }
            }
        }
        return count;
    }

    private void deleteScanned(Connection connection, Table table, int bucket) throws SQLException {
        List<Object[]> keys = new ArrayList<>();
        try (PreparedStatement statement = streaming(connection,
                "SELECT " + String.join(", ", table.key()) + ", " + table.conversationColumn() + " FROM " + table.name());
                ResultSet rows = statement.executeQuery()) {
            int width = table.key().size();
            while (rows.next()) {
                if (ShardMap.bucketOf(rows.getString(width + 1), buckets) == bucket) {
                    Object[] key = new Object[width];
                    for (int i = 0; i < width; i++) {
                        key[i] = rows.getObject(i + 1);
                    }
                    keys.add(key);
                }
            }
        }
        String where = String.join(" = ? AND ", table.key()) + " = ?";
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table.name() + " WHERE " + where)) {
            int pending = 0;
            for (Object[] key : keys) {
                for (int i = 0; i < key.length; i++) {
                    delete.setObject(i + 1, key[i]);
                }
                delete.addBatch();
                if (++pending == BATCH) {
                    delete.executeBatch();
                    connection.commit();
                    pending = 0;
                }
            }
            delete.executeBatch();
            connection.commit();
        }
    }

    private static String upsert(Table table, ResultSetMetaData meta) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int column = 1; column <= meta.getColumnCount(); column++) {
            names.add(meta.getColumnName(column));
        }
        List<String> updates = names.stream().map(name -> name + " = VALUES(" + name + ")").toList();
        return "INSERT INTO " + table.name() + " (" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", Collections.nCopies(names.size(), "?")) + ") ON DUPLICATE KEY UPDATE "
                + String.join(", ", updates);
    }

    /** A read whose rows the MySQL driver streams instead of holding the whole result in memory. */
    private static PreparedStatement streaming(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(Integer.MIN_VALUE);
        return statement;
    }

    /**
     * {@code java -cp 'quarkus-app/app/*:quarkus-app/lib/main/*' im.router.store.BucketMover
     * copy|verify|delete SOURCE_JDBC_URL TARGET_JDBC_URL BUCKETS BUCKET...}, user and password from
     * {@code IM_DB_USER} / {@code IM_DB_PASSWORD}. Prints what it copied or checked; exits non-zero
     * when a check fails.
     */
    public static void main(String[] args) throws SQLException {
        if (args.length < 5) {
            System.err.println("usage: BucketMover copy|verify|delete SOURCE_JDBC_URL TARGET_JDBC_URL BUCKETS BUCKET...");
            System.exit(2);
        }
        try (var from = RouterStore.open(database(args[1])); var to = RouterStore.open(database(args[2]))) {
            BucketMover mover = new BucketMover(from, to, Integer.parseInt(args[3]));
            for (int i = 4; i < args.length; i++) {
                int bucket = Integer.parseInt(args[i]);
                switch (args[0]) {
                    case "copy" -> System.out.println(mover.copy(bucket));
                    case "verify" -> System.out.println(mover.verify(bucket));
                    case "delete" -> {
                        mover.deleteFromSource(bucket);
                        System.out.println("bucket " + bucket + " deleted from the source");
                    }
                    default -> throw new IllegalArgumentException("copy, verify or delete, not " + args[0]);
                }
            }
        }
    }

    private static ShardConfig.Database database(String url) {
        return new ShardConfig.Database() {
            @Override
            public String jdbcUrl() {
                return url;
            }

            @Override
            public Optional<String> username() {
                return Optional.ofNullable(System.getenv("IM_DB_USER"));
            }

            @Override
            public Optional<String> password() {
                return Optional.ofNullable(System.getenv("IM_DB_PASSWORD"));
            }

            @Override
            public int maxSize() {
                return 2;
            }
        };
    }
}
