package im.router.message;

import im.router.store.SqlDialect;
import im.router.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Messages users deleted for themselves. Runs on the caller's connection. */
@ApplicationScoped
public class HiddenMessageRepository {

    private static final String BETWEEN = "SELECT seq FROM hidden_message WHERE conversation_id = ? AND user_id = ? "
            + "AND seq >= ? AND seq <= ?";

    private final String hide;

    public HiddenMessageRepository(Transactions transactions) {
        SqlDialect dialect = transactions.dialect();
        hide = dialect.insertUnlessPresent(
                "INSERT INTO hidden_message (conversation_id, user_id, seq) VALUES (?, ?, ?)", "seq");
    }

    /** Hides the seqs (ascending) for the user; answers those that were not hidden before. */
    public List<Long> hide(Connection connection, String conversationId, long userId, List<Long> seqs)
            throws SQLException {
        if (seqs.isEmpty()) {
            return List.of();
        }
        Set<Long> before = hiddenIn(connection, conversationId, userId, seqs.get(0), seqs.get(seqs.size() - 1));
        List<Long> added = seqs.stream().filter(seq -> !before.contains(seq)).toList();
        try (PreparedStatement statement = connection.prepareStatement(hide)) {
            for (long seq : added) {
                statement.setString(1, conversationId);
                statement.setLong(2, userId);
                statement.setLong(3, seq);
                statement.addBatch();
            }
            if (!added.isEmpty()) {
                statement.executeBatch();
            }
        }
        return added;
    }

    /** The seqs in [fromSeq, toSeq] the user hid. */
    public Set<Long> hiddenIn(Connection connection, String conversationId, long userId, long fromSeq, long toSeq)
            throws SQLException {
        Set<Long> hidden = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(BETWEEN)) {
            statement.setString(1, conversationId);
            statement.setLong(2, userId);
            statement.setLong(3, fromSeq);
            statement.setLong(4, toSeq);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    hidden.add(rows.getLong(1));
                }
            }
        }
        return hidden;
    }
}
