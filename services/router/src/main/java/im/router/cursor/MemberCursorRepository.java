package im.router.cursor;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Per user and conversation: how far the user holds it (member delivered, the highest of the
 * user's device cursors) and has read it. Both live on conversation_member and move forward only.
 * Runs on the caller's connection.
 */
@ApplicationScoped
public class MemberCursorRepository {

    // The "< ?" guard makes a racing lower value a no-op and lets the row count say whether it moved.
    public static final String ADVANCE_DELIVERED = "UPDATE conversation_member SET last_delivered_seq = ? "
            + "WHERE conversation_id = ? AND user_id = ? AND last_delivered_seq < ?";
    private static final String ADVANCE_READ = "UPDATE conversation_member SET last_read_seq = ? "
            + "WHERE conversation_id = ? AND user_id = ? AND last_read_seq < ?";
    private static final String READ_OF = "SELECT last_read_seq FROM conversation_member "
            + "WHERE conversation_id = ? AND user_id = ?";
    private static final String POSITIONS = "SELECT user_id, last_delivered_seq, last_read_seq "
            + "FROM conversation_member WHERE conversation_id = ?";

    /** Moves the member-delivered cursor up to {@code seq}; true when it moved. */
    public boolean advanceDelivered(Connection connection, MemberKey key, long seq) throws SQLException {
        return advance(connection, ADVANCE_DELIVERED, key, seq);
    }

    /** Moves the read cursor up to {@code seq}; true when it moved. */
    public boolean advanceRead(Connection connection, MemberKey key, long seq) throws SQLException {
        return advance(connection, ADVANCE_READ, key, seq);
    }

    /** The member's read cursor; 0 for a member without a row (no message yet). */
    public long readCursor(Connection connection, MemberKey key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(READ_OF)) {
            statement.setString(1, key.conversationId());
            statement.setLong(2, key.userId());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /** Both cursors of every member with a row in the conversation. */
    public List<MemberPosition> positions(Connection connection, String conversationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(POSITIONS)) {
            statement.setString(1, conversationId);
            try (ResultSet rows = statement.executeQuery()) {
                List<MemberPosition> positions = new ArrayList<>();
                while (rows.next()) {
                    positions.add(new MemberPosition(rows.getLong(1), rows.getLong(2), rows.getLong(3)));
                }
                return positions;
            }
        }
    }

    private static boolean advance(Connection connection, String sql, MemberKey key, long seq) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, seq);
            statement.setString(2, key.conversationId());
            statement.setLong(3, key.userId());
            statement.setLong(4, seq);
            return statement.executeUpdate() > 0;
        }
    }

    /** Whose cursor: one member of one conversation. */
    public record MemberKey(long userId, String conversationId) {
    }

    /** A member's delivered and read cursors. */
    public record MemberPosition(long userId, long deliveredSeq, long readSeq) {
    }
}
