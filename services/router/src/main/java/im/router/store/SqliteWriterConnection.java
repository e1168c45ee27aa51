package im.router.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * The group-commit writer's own SQLite connection, kept for all its transactions, with each
 * statement it runs prepared once.
 *
 * <p>Why: at low and middling rates a transaction carries one or a few writes, and the pool's
 * way of running it cost about a third of the writer's CPU at 1,000 msgs/s (profiled).
 * sqlite-jdbc keeps no prepared statements (preparing the same statements again was a fifth),
 * and a pooled transaction took SQLite's write lock twice: {@code setAutoCommit(false)} begins one,
 * {@code commit()} commits and at once begins the next, which the pool's reset then commits empty.
 *
 * <p>This connection stays in manual-commit mode between transactions, and its transactions begin
 * DEFERRED: the transaction sqlite-jdbc opens after each commit holds no lock until its first
 * statement, so other connections write freely while the writer is idle. A writer's batch starts
 * with a write, which takes the lock. (A batch whose first statement reads and that meets another
 * connection's commit before its first write fails busy and is tried again, as any busy batch.)
 *
 * <p>A statement that {@link #prepareStatement} hands out is the kept one; closing it clears its
 * parameters and batch for the next use. A statement asked for again while the kept one is still
 * in use (not closed yet) is prepared afresh. Only one thread may use this connection.
 */
final class SqliteWriterConnection extends JDBC4Connection {

    private static final String URL_PREFIX = "jdbc:sqlite:";

    private final Map<String, KeptStatement> kept = new HashMap<>();

    private SqliteWriterConnection(String url) throws SQLException {
        super(url, url.substring(URL_PREFIX.length()), new Properties());
    }

    /**
     * Opens {@code url} (with the pragmas it names), runs {@code newConnectionSql} as the pool does
     * for its connections, and leaves the connection in manual-commit mode with an empty deferred
     * transaction open.
     */
    static SqliteWriterConnection open(String url, List<String> newConnectionSql) throws SQLException {
        if (!url.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("not a SQLite JDBC URL: " + url);
        }
        SqliteWriterConnection connection = new SqliteWriterConnection(url);
        try {
            try (Statement statement = connection.createStatement()) {
                for (String sql : newConnectionSql) {
                    statement.execute(sql);
                }
            }
            connection.getConnectionConfig().setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException | RuntimeException e) {
            Transactions.closeAfter(e, connection);
            throw e;
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        KeptStatement statement = kept.get(sql);
        if (statement == null) {
            statement = new KeptStatement(this, sql);
            kept.put(sql, statement);
        } else if (statement.inUse) {
            return super.prepareStatement(sql);
        }
        statement.inUse = true;
        return statement;
    }

    /** Statements kept so far (for tests). */
    int keptStatements() {
        return kept.size();
    }

    @Override
    public void close() throws SQLException {
        List<SQLException> failures = new ArrayList<>();
        for (KeptStatement statement : kept.values()) {
            try {
                statement.dispose();
            } catch (SQLException e) {
                failures.add(e);
            }
        }
        kept.clear();
        super.close();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** A prepared statement whose close readies it for its next use instead of finalising it. */
    private static final class KeptStatement extends JDBC4PreparedStatement {

        private boolean inUse;

        KeptStatement(SQLiteConnection connection, String sql) throws SQLException {
            super(connection, sql);
        }

        @Override
        public void close() throws SQLException {
            if (!inUse) {
                return;
            }
            inUse = false;
            clearBatch();
            clearParameters();
        }

        void dispose() throws SQLException {
            super.close();
        }
    }
}
