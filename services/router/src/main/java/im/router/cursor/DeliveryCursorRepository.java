package im.router.cursor;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Per device and conversation: the highest seq the device holds. Runs on the caller's connection. */
@ApplicationScoped
public class DeliveryCursorRepository {

    private static final String READ = "SELECT last_ack_seq FROM delivery_cursor "
            + "WHERE user_id = ? AND device_id = ? AND conversation_id = ?";
    private static final String CREATE = "INSERT INTO delivery_cursor "
            + "(user_id, device_id, conversation_id, last_ack_seq, updated_at) VALUES (?, ?, ?, ?, ?)";
    // The "< ?" guard keeps the cursor from moving back when two acks race.
    public static final String MOVE = "UPDATE delivery_cursor SET last_ack_seq = ?, updated_at = ? "
            + "WHERE user_id = ? AND device_id = ? AND conversation_id = ? AND last_ack_seq < ?";

    /**
     * Moves the cursor to {@code seq} unless it is already there or beyond; answers the cursor
     * after the ack and whether it moved. The guarded update comes first because most acks move their cursor: one
     * statement then, and an upsert would cost a failed insert on every ack.
     *
     * @throws SQLException a unique violation when another node created the row meanwhile (the
     *     caller's retry then finds it)
     */
    public Move advance(Connection connection, DeviceConversation key, long seq, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MOVE)) {
            statement.setLong(1, seq);
            statement.setLong(2, now);
            bind(statement, 3, key);
            statement.setLong(6, seq);
            if (statement.executeUpdate() > 0) {
                return new Move(true, seq);
            }
        }
        long current = read(connection, key);
        if (current >= 0) {
            return new Move(false, current);
        }
        try (PreparedStatement statement = connection.prepareStatement(CREATE)) {
            bind(statement, 1, key);
            statement.setLong(4, seq);
            statement.setLong(5, now);
            statement.executeUpdate();
        }
        return new Move(seq > 0, seq);
    }

    /** The device's cursor; -1 when the device never acked the conversation. */
    private static long read(Connection connection, DeviceConversation key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(READ)) {
            bind(statement, 1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        }
    }

    private static void bind(PreparedStatement statement, int first, DeviceConversation key) throws SQLException {
        statement.setLong(first, key.userId());
        statement.setString(first + 1, key.deviceId());
        statement.setString(first + 2, key.conversationId());
    }

    /** A device cursor after an ack, and whether the ack moved it. */
    public record Move(boolean moved, long after) {
    }

    /** Whose cursor: one device of a user in one conversation. */
    public record DeviceConversation(long userId, String deviceId, String conversationId) {
    }
}
