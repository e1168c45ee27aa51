package im.leaf.segment;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Segments claimed from the {@code leaf_alloc} table, one short transaction per claim. The row
 * lock taken by the UPDATE serialises claims of one tag across every node sharing the database,
 * so no two claims ever get overlapping ranges.
 */
@ApplicationScoped
public class JdbcSegmentStore implements SegmentStore {

    private static final Logger LOG = Logger.getLogger(JdbcSegmentStore.class);

    private static final String ADVANCE =
            "UPDATE leaf_alloc SET max_id = max_id + step, updated_at = ? WHERE biz_tag = ?";
    private static final String CREATE =
            "INSERT INTO leaf_alloc (biz_tag, max_id, step, updated_at) VALUES (?, 0, ?, ?)";
    private static final String READ = "SELECT max_id, step FROM leaf_alloc WHERE biz_tag = ?";

    private final AgroalDataSource dataSource;
    private final SegmentConfig config;

    public JdbcSegmentStore(AgroalDataSource dataSource, SegmentConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Override
    public Segment claim(String bizTag) {
        for (int attempt = 1;; attempt++) {
            try {
                return claimOnce(bizTag);
            } catch (SQLException e) {
                if (attempt < config.claimAttempts() && isTransient(e)) {
                    LOG.debugf("Claim of %s collided (%s), attempt %d", bizTag, e.getSQLState(), attempt);
                    continue;
                }
                throw new SegmentStoreException("could not claim a segment of " + bizTag, e);
            }
        }
    }

    private Segment claimOnce(String bizTag) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long now = System.currentTimeMillis();
                if (advance(connection, bizTag, now) == 0) {
                    create(connection, bizTag, now);
                    advance(connection, bizTag, now);
                }
                Segment segment = read(connection, bizTag);
                connection.commit();
                return segment;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static int advance(Connection connection, String bizTag, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ADVANCE)) {
            statement.setLong(1, now);
            statement.setString(2, bizTag);
            return statement.executeUpdate();
        }
    }

    private void create(Connection connection, String bizTag, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CREATE)) {
            statement.setString(1, bizTag);
            statement.setInt(2, config.defaultStep());
            statement.setLong(3, now);
            statement.executeUpdate();
        }
    }

    private static Segment read(Connection connection, String bizTag) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setString(1, bizTag);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("leaf_alloc row of " + bizTag + " vanished");
                }
                return new Segment(rows.getLong(1), rows.getInt(2));
            }
        }
    }

    /** Deadlocks and a racing insert of the same new tag: both succeed when tried again. */
    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("40") || state.startsWith("23"));
    }
}
