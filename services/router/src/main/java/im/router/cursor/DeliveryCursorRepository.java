package im.router.cursor;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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
     * Moves each device's cursor to its target unless it is already there or beyond; answers each
     * cursor after the ack and whether it moved, in the list's order. The guarded updates go first,
     * as one batch, because most acks move their cursor: one statement per transaction then, where
     * an upsert would cost a failed insert on every ack. A cursor that did not move is read, and
     * created when the device never acked the conversation.
     *
     * @throws SQLException a unique violation when another node created the row meanwhile (the
     *     caller's retry then finds it)
     */
    public List<Move> advance(Connection connection, List<CursorTarget> targets, long now) throws SQLException {
        if (targets.isEmpty()) {
            return List.of();
        }
        int[] moved;
        try (PreparedStatement statement = connection.prepareStatement(MOVE)) {
            for (CursorTarget target : targets) {
                statement.setLong(1, target.seq());
                statement.setLong(2, now);
                bind(statement, 3, target.device());
                statement.setLong(6, target.seq());
                statement.addBatch();
            }
            moved = statement.executeBatch();
        }
        List<Move> moves = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            CursorTarget target = targets.get(i);
            moves.add(moved[i] > 0 ? new Move(true, target.seq()) : readOrCreate(connection, target, now));
        }
        return moves;
    }

    private static Move readOrCreate(Connection connection, CursorTarget target, long now) throws SQLException {
        long current = read(connection, target.device());
        if (current >= 0) {
            return new Move(false, current);
        }
        try (PreparedStatement statement = connection.prepareStatement(CREATE)) {
            bind(statement, 1, target.device());
            statement.setLong(4, target.seq());
            statement.setLong(5, now);
            statement.executeUpdate();
        }
        return new Move(target.seq() > 0, target.seq());
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

    /** The seq a device's cursor should move to. */
    public record CursorTarget(DeviceConversation device, long seq) {
    }

    /** Whose cursor: one device of a user in one conversation. */
    public record DeviceConversation(long userId, String deviceId, String conversationId) {
    }
}
