package im.router.message;

import im.protocol.client.Message;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The changes (recalls, edits) among a conversation's messages, by seq, and the edits of each
 * target. Runs on the caller's connection.
 */
@ApplicationScoped
public class MessageChangeRepository {

    private static final String INSERT =
            "INSERT INTO message_change (conversation_id, seq, target_seq, kind) VALUES (?, ?, ?, ?)";
    private static final String OF_TARGET = "SELECT seq FROM message_change WHERE conversation_id = ? "
            + "AND target_seq = ? ORDER BY conversation_id, target_seq";
    private static final String COUNT = "SELECT COUNT(*) FROM message_change WHERE conversation_id = ? "
            + "AND seq > ? AND seq <= ?";
    private static final String BETWEEN = "SELECT seq FROM message_change WHERE conversation_id = ? "
            + "AND seq > ? AND seq <= ? ORDER BY seq DESC LIMIT ?";

    /** Records the changes among the stored messages, in one batch. */
    public void insertAll(Connection connection, List<Message> messages) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            int rows = 0;
            for (Message message : messages) {
                if (message.hasChange()) {
                    statement.setString(1, message.getConversationId());
                    statement.setLong(2, message.getSeq());
                    statement.setLong(3, message.getChange().getTargetSeq());
                    statement.setInt(4, message.getChange().getKindValue());
                    statement.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                statement.executeBatch();
            }
        }
    }

    /** The seqs of the changes of the message at {@code targetSeq}. */
    public List<Long> changesOf(Connection connection, String conversationId, long targetSeq) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(OF_TARGET)) {
            statement.setString(1, conversationId);
            statement.setLong(2, targetSeq);
            return seqs(statement);
        }
    }

    /** The seqs in (afterSeq, upToSeq] that are changes, ascending: the last {@code limit} of them. */
    public List<Long> between(Connection connection, String conversationId, long afterSeq, long upToSeq, int limit)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(BETWEEN)) {
            statement.setString(1, conversationId);
            statement.setLong(2, afterSeq);
            statement.setLong(3, upToSeq);
            statement.setInt(4, limit);
            List<Long> ascending = seqs(statement);
            Collections.reverse(ascending);
            return ascending;
        }
    }

    /** How many changes lie in (afterSeq, upToSeq]. */
    public long count(Connection connection, String conversationId, long afterSeq, long upToSeq) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(COUNT)) {
            statement.setString(1, conversationId);
            statement.setLong(2, afterSeq);
            statement.setLong(3, upToSeq);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static List<Long> seqs(PreparedStatement statement) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                seqs.add(rows.getLong(1));
            }
        }
        return seqs;
    }
}
