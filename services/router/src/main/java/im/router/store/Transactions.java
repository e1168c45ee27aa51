package im.router.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.jboss.logging.Logger;

/**
 * Plain JDBC transactions on the router's datasource. The router's writes are a handful of short
 * statements whose order matters (bump seq, then insert), so they are written out rather than
 * left to an ORM.
 */
@ApplicationScoped
public class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class);

    /** One unit of work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    public Transactions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T write(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
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
                || (e.getSQLState() != null && e.getSQLState().startsWith("23"));
    }

    /** A deadlock or serialization failure: the database rolled back and a retry may succeed. */
    public static boolean isTransient(SQLException e) {
        boolean transientFailure = e.getSQLState() != null && e.getSQLState().startsWith("40");
        if (transientFailure) {
            LOG.debugf("Transient database failure %s", e.getSQLState());
        }
        return transientFailure;
    }
}
