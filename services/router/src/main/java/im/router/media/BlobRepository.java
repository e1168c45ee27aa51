package im.router.media;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The {@code media_blob} rows: which conversation each blob was uploaded to, by whom. */
@ApplicationScoped
public class BlobRepository {

    private static final String INSERT = "INSERT INTO media_blob (id, conversation_id, uploader_id, mime_type, size, created_at) "
            + "VALUES (?, ?, ?, ?, ?, ?)";
    private static final String FIND = "SELECT uploader_id, mime_type, size, created_at FROM media_blob "
            + "WHERE id = ? AND conversation_id = ?";

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
