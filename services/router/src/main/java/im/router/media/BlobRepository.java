package im.router.media;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code media_blob} rows: which conversation each blob was uploaded to, by whom. */
@ApplicationScoped
public class BlobRepository {

    private static final String INSERT = "INSERT INTO media_blob (id, conversation_id, uploader_id, mime_type, size, created_at) "
            + "VALUES (?, ?, ?, ?, ?, ?)";
    private static final String FIND = "SELECT uploader_id, mime_type, size, created_at FROM media_blob "
            + "WHERE id = ? AND conversation_id = ?";
    private static final int LOOKUP_CHUNK = 500;

    /** A blob of a conversation; {@code createdAt} in epoch milliseconds. */
    public record BlobRow(String id, String conversationId, long uploaderId, String mimeType, long size, long createdAt) {
    }

    public void insert(Connection connection, List<BlobRow> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (BlobRow row : rows) {
                statement.setString(1, row.id());
                statement.setString(2, row.conversationId());
                statement.setLong(3, row.uploaderId());
                statement.setString(4, row.mimeType());
                statement.setLong(5, row.size());
                statement.setLong(6, row.createdAt());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The space (conversation) each of the known {@code blobIds} was uploaded to; unknown ids are absent. */
    public Map<String, String> spacesOf(Connection connection, Collection<String> blobIds) throws SQLException {
        Map<String, String> spaces = new HashMap<>();
        List<String> ids = List.copyOf(new HashSet<>(blobIds));
        for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK));
            String sql = "SELECT id, conversation_id FROM media_blob WHERE id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    statement.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        spaces.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
        }
        return spaces;
    }

    /** The blob when it belongs to that conversation; empty for an unknown id or another conversation's. */
    public Optional<BlobRow> find(Connection connection, String blobId, String conversationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setString(1, blobId);
            statement.setString(2, conversationId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new BlobRow(blobId, conversationId, row.getLong(1), row.getString(2),
                        row.getLong(3), row.getLong(4)));
            }
        }
    }
}
