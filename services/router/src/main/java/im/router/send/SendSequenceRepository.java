package im.router.send;

import im.router.store.Batches;
import im.router.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

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
     * Records, for each device of the batch, the client_seq of its send being stored when the
     * device's row still holds the expected last one, in one batch in the list's order (each
     * statement also takes its row lock); false when any row did not (nothing was asked of it, but
     * rows before it moved: the caller rolls back).
     */
    public boolean setLastAfter(Connection connection, List<NumberMove> moves, long now) throws SQLException {
        if (moves.isEmpty()) {
            return true;
        }
        try (PreparedStatement statement = connection.prepareStatement(SET_LAST_AFTER)) {
            for (NumberMove move : moves) {
                statement.setLong(1, move.clientSeq());
                statement.setLong(2, now);
                bind(statement, 3, move.device());
                statement.setLong(6, move.expectedLast());
                statement.addBatch();
            }
            return Batches.allChangedOne(statement.executeBatch());
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

    /** A device's number moved from {@code expectedLast} to {@code clientSeq}. */
    public record NumberMove(DeviceSends device, long expectedLast, long clientSeq) {
    }
}
