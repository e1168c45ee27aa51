package im.router.message;

import im.protocol.client.Message;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Who each message mentions, kept for the mentioned users' unread mention counts. Runs on the caller's connection. */
@ApplicationScoped
public class MentionRepository {

    private static final String INSERT = "INSERT INTO mention (conversation_id, user_id, seq) VALUES (?, ?, ?)";
    private static final String FORGET = "DELETE FROM mention WHERE conversation_id = ? AND seq = ?";
    private static final String UNREAD = "SELECT seq FROM mention WHERE conversation_id = ? AND user_id = ? "
            + "AND seq > ? AND seq <= ? ORDER BY seq DESC LIMIT ?";

    /** Records the mentions of the stored messages, in one batch. */
    public void insertAll(Connection connection, List<Message> messages) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            int rows = 0;
            for (Message message : messages) {
                for (long user : message.getMentionsList()) {
                    statement.setString(1, message.getConversationId());
                    statement.setLong(2, user);
                    statement.setLong(3, message.getSeq());
                    statement.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                statement.executeBatch();
            }
        }
    }

    /** Forgets who the message at {@code seq} mentioned (it was recalled). */
    public void forget(Connection connection, String conversationId, long seq) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FORGET)) {
            statement.setString(1, conversationId);
            statement.setLong(2, seq);
            statement.executeUpdate();
        }
    }

    /** The seqs in (afterSeq, upToSeq] that mention the user, ascending: the last {@code limit} of them. */
    public List<Long> unread(Connection connection, String conversationId, long userId, long afterSeq, long upToSeq,
            int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UNREAD)) {
            statement.setString(1, conversationId);
            statement.setLong(2, userId);
            statement.setLong(3, afterSeq);
            statement.setLong(4, upToSeq);
            statement.setInt(5, limit);
            List<Long> seqs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    seqs.add(0, rows.getLong(1));
                }
            }
            return seqs;
        }
    }
}
