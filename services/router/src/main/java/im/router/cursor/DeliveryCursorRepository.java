package im.router.cursor;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Per device and conversation: the highest seq the device holds. Runs on the caller's connection. */
@ApplicationScoped
public class DeliveryCursorRepository {

    // GREATEST keeps the cursor from moving back even when two acks race.
    private static final String ADVANCE = "INSERT INTO delivery_cursor "
            + "(user_id, device_id, conversation_id, last_ack_seq, updated_at) VALUES (?, ?, ?, ?, ?) "
            + "ON DUPLICATE KEY UPDATE last_ack_seq = GREATEST(last_ack_seq, ?), updated_at = ?";
    private static final String READ = "SELECT last_ack_seq FROM delivery_cursor "
            + "WHERE user_id = ? AND device_id = ? AND conversation_id = ?";

    /** Moves the cursor to {@code seq} unless it is already there or beyond; answers the cursor. */
    public long advance(Connection connection, DeviceConversation key, long seq, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ADVANCE)) {
            statement.setLong(1, key.userId());
            statement.setString(2, key.deviceId());
            statement.setString(3, key.conversationId());
            statement.setLong(4, seq);
            statement.setLong(5, now);
            statement.setLong(6, seq);
            statement.setLong(7, now);
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setLong(1, key.userId());
            statement.setString(2, key.deviceId());
            statement.setString(3, key.conversationId());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /** Whose cursor: one device of a user in one conversation. */
    public record DeviceConversation(long userId, String deviceId, String conversationId) {
    }
}
