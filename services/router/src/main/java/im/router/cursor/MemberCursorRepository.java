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
    public static final String ADVANCE_READ = "UPDATE conversation_member SET last_read_seq = ? "
            + "WHERE conversation_id = ? AND user_id = ? AND last_read_seq < ?";
    private static final String READ_OF = "SELECT last_read_seq FROM conversation_member "
            + "WHERE conversation_id = ? AND user_id = ?";
    private static final String POSITIONS = "SELECT user_id, last_delivered_seq, last_read_seq "
            + "FROM conversation_member WHERE conversation_id = ?";
    private static final String CURRENT_POSITIONS = POSITIONS + " AND role > 0";

    /**
     * Moves each member-delivered cursor up to its seq, in one batch in the list's order; answers,
     * in that order, whether each moved.
     */
    public boolean[] advanceDelivered(Connection connection, List<MemberTarget> targets) throws SQLException {
        return advanceAll(connection, ADVANCE_DELIVERED, targets);
    }

    /**
     * Moves each read cursor up to its seq, in one batch in the list's order (a sender's, to its own
     * message: a user who sends has read what came before); answers, in that order, whether each moved.
     */
    public boolean[] advanceReads(Connection connection, List<MemberTarget> targets) throws SQLException {
        return advanceAll(connection, ADVANCE_READ, targets);
    }

    private static boolean[] advanceAll(Connection connection, String sql, List<MemberTarget> targets)
            throws SQLException {
        boolean[] moved = new boolean[targets.size()];
        if (targets.isEmpty()) {
            return moved;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (MemberTarget target : targets) {
                bind(statement, target.member(), target.seq());
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                moved[i] = counts[i] > 0;
            }
        }
        return moved;
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
        return positions(connection, POSITIONS, conversationId);
    }

    private static List<MemberPosition> positions(Connection connection, String sql, String conversationId)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
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

    /** Both cursors of every current member of a group. */
    public List<MemberPosition> currentGroupPositions(Connection connection, String conversationId)
            throws SQLException {
        return positions(connection, CURRENT_POSITIONS, conversationId);
    }

    private static boolean advance(Connection connection, String sql, MemberKey key, long seq) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, key, seq);
            return statement.executeUpdate() > 0;
        }
    }

    private static void bind(PreparedStatement statement, MemberKey key, long seq) throws SQLException {
        statement.setLong(1, seq);
        statement.setString(2, key.conversationId());
        statement.setLong(3, key.userId());
        statement.setLong(4, seq);
    }

    /** The seq a member's cursor should move up to. */
    public record MemberTarget(MemberKey member, long seq) {
    }

    /** Whose cursor: one member of one conversation. */
    public record MemberKey(long userId, String conversationId) {
    }

    /** A member's delivered and read cursors. */
    public record MemberPosition(long userId, long deliveredSeq, long readSeq) {
    }
}
