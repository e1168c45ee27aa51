package im.router.send;

import im.router.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Per device and conversation: the client_seq of the device's last stored numbered send. Runs on
 * the caller's connection, inside the transaction that stores the send.
 */
@ApplicationScoped
public class SendSequenceRepository {

    private static final String CREATE = "INSERT INTO send_sequence "
            + "(user_id, device_id, conversation_id, last_client_seq, updated_at) VALUES (?, ?, ?, 0, ?)";
    private static final String LAST = "SELECT last_client_seq FROM send_sequence "
            + "WHERE user_id = ? AND device_id = ? AND conversation_id = ?";
    private static final String SET_LAST = "UPDATE send_sequence SET last_client_seq = ?, updated_at = ? "
            + "WHERE user_id = ? AND device_id = ? AND conversation_id = ?";
    public static final String SET_LAST_AFTER = SET_LAST + " AND last_client_seq = ?";

    private final String lockedLast;

    public SendSequenceRepository(Transactions transactions) {
        lockedLast = transactions.dialect().lockingRead(LAST);
    }

    /**
     * The device's last stored client_seq (0 before its first numbered send), with the row locked
     * until the transaction ends: a racing send of the same device waits here and then sees the
     * number this transaction stores.
     */
    public long lockLast(Connection connection, DeviceSends key, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lockedLast)) {
            bind(statement, 1, key);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    return rows.getLong(1);
                }
            }
        }
        // The device's first numbered send here: the new row is this transaction's until it ends.
        // A racing first send of the same device on another node fails on the key (or deadlocks on
        // MySQL's gap lock) and is retried, then finds this row.
        try (PreparedStatement statement = connection.prepareStatement(CREATE)) {
            bind(statement, 1, key);
            statement.setLong(4, now);
            statement.executeUpdate();
        }
        return 0;
    }

    /** Records the client_seq of the send being stored; call after {@link #lockLast}. */
    public void setLast(Connection connection, DeviceSends key, long clientSeq, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_LAST)) {
            statement.setLong(1, clientSeq);
            statement.setLong(2, now);
            bind(statement, 3, key);
            statement.executeUpdate();
        }
    }

    /**
     * Records the client_seq of the send being stored when the device's row still holds
     * {@code expectedLast}, in one statement that also takes the row lock; false (nothing changed)
     * when it does not, or the device has no row.
     */
    public boolean setLastAfter(Connection connection, DeviceSends key, long expectedLast, long clientSeq, long now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_LAST_AFTER)) {
            statement.setLong(1, clientSeq);
            statement.setLong(2, now);
            bind(statement, 3, key);
            statement.setLong(6, expectedLast);
            return statement.executeUpdate() == 1;
        }
    }

    private static void bind(PreparedStatement statement, int first, DeviceSends key) throws SQLException {
        statement.setLong(first, key.userId());
        statement.setString(first + 1, key.deviceId());
        statement.setString(first + 2, key.conversationId());
    }

    /** Whose numbering: one device of a user in one conversation. */
    public record DeviceSends(long userId, String deviceId, String conversationId) {
    }
}
