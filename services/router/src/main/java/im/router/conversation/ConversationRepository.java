package im.router.conversation;

import im.protocol.client.ConversationCursor;
import im.router.store.Batches;
import im.router.store.SqlDialect;
import im.router.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Conversations, their last seq and their members. Every method runs on the caller's connection. */
@ApplicationScoped
public class ConversationRepository {

    // last_at moves with last_seq: the conversation list is ordered by it.
    private static final String BUMP = "UPDATE conversation SET last_seq = last_seq + ?, last_at = ? WHERE id = ?";
    public static final String ADVANCE_FROM = "UPDATE conversation SET last_seq = ?, last_at = ? WHERE id = ? AND last_seq = ?";
    private static final String LAST_SEQ = "SELECT last_seq FROM conversation WHERE id = ?";
    // A former group member's conversation ends at its leaving.
    private static final String OF_MEMBER = "SELECT c.id, CASE WHEN m.left_seq > 0 THEN m.left_seq ELSE c.last_seq END, "
            + "m.joined_seq FROM conversation_member m "
            + "JOIN conversation c ON c.id = m.conversation_id WHERE m.user_id = ? AND c.last_seq > 0 ORDER BY c.id";

    private final String create;
    private final String lockedLastSeq;
    private final String addMember;

    public ConversationRepository(Transactions transactions) {
        SqlDialect dialect = transactions.dialect();
        create = dialect.insertUnlessPresent(
                "INSERT INTO conversation (id, last_seq, created_at) VALUES (?, 0, ?)", "created_at");
        lockedLastSeq = dialect.lockingRead(LAST_SEQ);
        addMember = dialect.insertUnlessPresent(
                "INSERT INTO conversation_member (conversation_id, user_id, joined_at) VALUES (?, ?, ?)", "joined_at");
    }

    /**
     * Takes the conversation's next {@code count} seqs and answers the first, creating the
     * conversation when it has none yet. The UPDATE holds the conversation's row lock until the
     * transaction ends, so concurrent writers take their seqs one after another and a rolled-back
     * transaction leaves no gap.
     */
    public long reserveSeqs(Connection connection, String conversationId, int count, long now) throws SQLException {
        if (bump(connection, conversationId, count, now) == 0) {
            try (PreparedStatement statement = connection.prepareStatement(create)) {
                statement.setString(1, conversationId);
                statement.setLong(2, now);
                statement.executeUpdate();
            }
            bump(connection, conversationId, count, now);
        }
        return lastSeq(connection, lockedLastSeq, conversationId) - count + 1;
    }

    /**
     * Takes each conversation's next seqs when its last seq is still the expected one, in one batch
     * in the list's order (each statement also takes its row lock); false when any conversation's
     * was not, or it has no row (rows before it moved: the caller rolls back).
     */
    public boolean reserveSeqsAfter(Connection connection, List<SeqReservation> reservations, long now)
            throws SQLException {
        if (reservations.isEmpty()) {
            return true;
        }
        try (PreparedStatement statement = connection.prepareStatement(ADVANCE_FROM)) {
            for (SeqReservation reservation : reservations) {
                statement.setLong(1, reservation.expectedLast() + reservation.count());
                statement.setLong(2, now);
                statement.setString(3, reservation.conversationId());
                statement.setLong(4, reservation.expectedLast());
                statement.addBatch();
            }
            return Batches.allChangedOne(statement.executeBatch());
        }
    }

    /** Records a member; nothing changes when it already is one. */
    public void addMember(Connection connection, String conversationId, long userId, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(addMember)) {
            statement.setString(1, conversationId);
            statement.setLong(2, userId);
            statement.setLong(3, now);
            statement.executeUpdate();
        }
    }

    /** The conversation's highest seq; 0 when it has no message yet. */
    public long lastSeq(Connection connection, String conversationId) throws SQLException {
        return lastSeq(connection, LAST_SEQ, conversationId);
    }

    /**
     * The conversation's highest seq, its row locked until the transaction ends (writers of the
     * conversation wait); 0 when it has no row yet.
     */
    public long lockLastSeq(Connection connection, String conversationId) throws SQLException {
        return lastSeq(connection, lockedLastSeq, conversationId);
    }

    /** Every conversation of a user that holds at least one message, with the seqs the user may read. */
    public List<ConversationPosition> ofMember(Connection connection, long userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(OF_MEMBER)) {
            statement.setLong(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                List<ConversationPosition> positions = new ArrayList<>();
                while (rows.next()) {
                    positions.add(new ConversationPosition(rows.getString(1), rows.getLong(2),
                            Math.max(1, rows.getLong(3))));
                }
                return positions;
            }
        }
    }

    private static int bump(Connection connection, String conversationId, int count, long now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(BUMP)) {
            statement.setInt(1, count);
            statement.setLong(2, now);
            statement.setString(3, conversationId);
            return statement.executeUpdate();
        }
    }

    private static long lastSeq(Connection connection, String sql, String conversationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, conversationId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /** {@code count} seqs taken after {@code expectedLast}, the conversation's last seq as remembered. */
    public record SeqReservation(String conversationId, long expectedLast, int count) {
    }

    /**
     * A conversation of a user: its highest seq the user may read, and its lowest (1, or a group
     * member's joining).
     */
    public record ConversationPosition(String conversationId, long lastSeq, long firstSeq) {
        /** Messages the user may read beyond {@code heldSeq}. */
        public long newAfter(long heldSeq) {
            return Math.max(0, lastSeq - Math.max(heldSeq, firstSeq - 1));
        }

        /** The conversation's cursor for a device that holds it up to {@code heldSeq}. */
        public ConversationCursor toCursor(long heldSeq) {
            return ConversationCursor.newBuilder().setConversationId(conversationId).setLastSeq(lastSeq)
                    .setNewMessages(newAfter(heldSeq)).build();
        }
    }
}
