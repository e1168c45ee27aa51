package im.router.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Plain JDBC transactions on the router's datasource. The router's writes are a handful of short
 * statements whose order matters (bump seq, then insert), so they are written out rather than
 * left to an ORM. The datasource is named "router" in every form of the system, so the standalone
 * app can keep it apart from the other services' database. This bean is shard 0's; the router's
 * further shards each get an instance of their own ({@link Shards}).
 */
@ApplicationScoped
public class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class);

    /** One unit of work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** The name of the router's datasource in the configuration ({@code quarkus.datasource.router.*}). */
    public static final String DATASOURCE = "router";

    // SQLite reports no SQLState; its result codes come as error codes and in the message.
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_CONSTRAINT = 19;

    /** Transactions of the one thread that writes many in a row (the group commit's writer). */
    public interface Writer extends AutoCloseable {

        /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
        <T> T write(Work<T> work) throws SQLException;

        @Override
        void close();
    }

    private final AgroalDataSource dataSource;
    private final SqlDialect dialect;
    // Told after every commit of this database (WalCheckpointer: wakes from its rest); a no-op
    // unless set, so a commit pays one volatile read.
    private volatile Runnable afterCommit = () -> { };
    private final Optional<String> url;
    private final Optional<String> newConnectionSql;

    // The dialect comes from the configuration, not from a connection: beans are made lazily,
    // often by a thread that already holds a connection, and a pool with none left to give would
    // then hold every thread at the bean's creation lock.
    @Inject
    public Transactions(@DataSource(DATASOURCE) AgroalDataSource dataSource,
            @ConfigProperty(name = "quarkus.datasource." + DATASOURCE + ".db-kind") String dbKind,
            @ConfigProperty(name = "quarkus.datasource." + DATASOURCE + ".jdbc.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource." + DATASOURCE + ".jdbc.new-connection-sql")
            Optional<String> newConnectionSql) {
        this.dataSource = dataSource;
        this.dialect = SqlDialect.ofDbKind(dbKind);
        this.url = url;
        this.newConnectionSql = newConnectionSql;
    }

    /**
     * Transactions on another database of the same dialect: a shard's beyond the first
     * ({@link Shards}). Its writer takes pooled connections (shards are MySQL or MariaDB).
     */
    public Transactions(AgroalDataSource dataSource, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.url = Optional.empty();
        this.newConnectionSql = Optional.empty();
    }

    /** The pool these transactions take connections from (a shard's database). */
    public AgroalDataSource dataSource() {
        return dataSource;
    }

    /** The dialect of the router's database. */
    public SqlDialect dialect() {
        return dialect;
    }

    /** Sets what runs on the committing thread after every commit here; it must be quick. */
    public void afterCommit(Runnable hook) {
        this.afterCommit = hook;
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T write(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                afterCommit.run();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        }
    }

    /**
     * Transactions for a thread that writes one after another, on one connection that it keeps in
     * manual-commit mode ({@link KeptConnectionWriter}): on SQLite a connection of its own with its
     * statements prepared once ({@link SqliteWriterConnection}); elsewhere one taken from the pool.
     * Only one thread may use it; close it when done.
     */
    public Writer writer() {
        KeptConnectionWriter.Opener opener = this::pooledManualCommit;
        if (dialect == SqlDialect.SQLITE && url.isPresent()) {
            String sqliteUrl = url.get();
            List<String> sql = newConnectionSql.map(List::of).orElse(List.of());
            opener = () -> SqliteWriterConnection.open(sqliteUrl, sql);
        }
        // the hook is read at each commit: it may be set after the writer was made
        return new KeptConnectionWriter(opener, () -> afterCommit.run());
    }

    private Connection pooledManualCommit() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeAfter(e, connection);
            throw e;
        }
    }

    /** Closes a connection whose setting up failed with {@code failure}, which keeps any failure to close. */
    static void closeAfter(Exception failure, Connection connection) {
        try {
            connection.close();
        } catch (SQLException closing) {
            failure.addSuppressed(closing);
        }
    }

    /**
     * A writer on one connection in manual-commit mode, taken at the first write and kept: a
     * transaction costs its statements and its commit, not also the switch into manual commit and
     * the pool's switch back that a pooled transaction pays (on MySQL two round trips of the six
     * a lone send's transaction makes). A failed transaction closes the connection (the database
     * rolls back what was begun; a pooled one goes back to its pool) and the next write takes
     * another, so a connection in an unknown state never carries on. One left idle for a while is
     * checked before use: the server may have dropped it meanwhile.
     */
    private static final class KeptConnectionWriter implements Writer {

        /** Opens a connection in manual-commit mode. */
        @FunctionalInterface
        interface Opener {
            Connection open() throws SQLException;
        }

        private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);
        private static final int VALID_TIMEOUT_SECONDS = 2;

        private final Opener opener;
        private final Runnable afterCommit;
        private Connection connection;
        private long lastUsedNanos;

        KeptConnectionWriter(Opener opener, Runnable afterCommit) {
            this.opener = opener;
            this.afterCommit = afterCommit;
        }

        @Override
        public <T> T write(Work<T> work) throws SQLException {
            if (connection != null && System.nanoTime() - lastUsedNanos > IDLE_CHECK_NANOS
                    && !connection.isValid(VALID_TIMEOUT_SECONDS)) {
                close();
            }
            if (connection == null) {
                connection = opener.open();
            }
            boolean committed = false;
            try {
                T result = work.run(connection);
                connection.commit();
                committed = true;
                afterCommit.run();
                return result;
            } finally {
                lastUsedNanos = System.nanoTime();
                if (!committed) {
                    close();
                }
            }
        }

        @Override
        public void close() {
            if (connection == null) {
                return;
            }
            try {
                if (!connection.isClosed() && !connection.getAutoCommit()) {
                    // Not for a pool to commit on return: what was begun and failed is undone here.
                    connection.rollback();
                }
            } catch (SQLException e) {
                LOG.debugf("Rolling back the writer's connection failed: %s", e.getMessage());
            }
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warnf("Closing the writer's connection failed: %s", e.getMessage());
            }
            connection = null;
        }
    }

    /** Runs reads on one connection in autocommit mode. */
    public <T> T read(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return work.run(connection);
        }
    }

    /** A unique or primary key refused the row (SQLState class 23). */
    public static boolean isUniqueViolation(SQLException e) {
        return e instanceof SQLIntegrityConstraintViolationException
                || (e.getSQLState() != null && e.getSQLState().startsWith("23"))
                || (e.getErrorCode() == SQLITE_CONSTRAINT && messageHas(e, "SQLITE_CONSTRAINT_UNIQUE",
                        "SQLITE_CONSTRAINT_PRIMARYKEY"));
    }

    /** A deadlock or serialization failure: the database rolled back and a retry may succeed. */
    public static boolean isTransient(SQLException e) {
        boolean transientFailure = (e.getSQLState() != null && e.getSQLState().startsWith("40"))
                || (e.getErrorCode() == SQLITE_BUSY && messageHas(e, "SQLITE_BUSY"));
        if (transientFailure) {
            LOG.debugf("Transient database failure %s", e.getSQLState());
        }
        return transientFailure;
    }

    private static boolean messageHas(SQLException e, String... codes) {
        String message = String.valueOf(e.getMessage());
        for (String code : codes) {
            if (message.contains(code)) {
                return true;
            }
        }
        return false;
    }
}
