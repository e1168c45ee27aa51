package im.router.message;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import im.protocol.client.GroupEvent;
import im.protocol.client.Message;
import im.protocol.client.MessageChange;
import im.protocol.router.StoredContent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stored messages, as the {@link Message} every reader gets. Runs on the caller's connection. */
@ApplicationScoped
public class MessageRepository {

    private static final int KIND_GROUP_EVENT = 1;
    // Typed content or mentions: the body column holds an im.router.v1.StoredContent.
    private static final int KIND_STORED_CONTENT = 2;
    // A change of an earlier message: the body column holds its im.client.v1.MessageChange.
    private static final int KIND_CHANGE = 3;
    // A recalled message: its body column is empty.
    private static final int KIND_RECALLED = 4;
    private static final String COLUMNS =
            "msg_id, conversation_id, seq, sender_id, sender_device_id, client_msg_id, body, created_at";
    // Public, like the other write statements the router's memory path runs, for bench/ (engines).
    public static final String INSERT = "INSERT INTO message (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    // A group's system message: its body column holds the GroupEvent.
    private static final String INSERT_GROUP_EVENT =
            "INSERT INTO message (" + COLUMNS + ", kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, " + KIND_GROUP_EVENT + ")";
    private static final String INSERT_STORED_CONTENT =
            "INSERT INTO message (" + COLUMNS + ", kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, " + KIND_STORED_CONTENT + ")";
    private static final String INSERT_CHANGE =
            "INSERT INTO message (" + COLUMNS + ", kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, " + KIND_CHANGE + ")";
    private static final String RECALL = "UPDATE message SET body = ?, kind = " + KIND_RECALLED
            + " WHERE conversation_id = ? AND seq = ?";
    private static final String SET_CHANGE = "UPDATE message SET body = ? WHERE conversation_id = ? AND seq = ? AND kind = "
            + KIND_CHANGE;
    private static final String READ_COLUMNS = COLUMNS + ", kind";
    private static final String BY_CLIENT_MSG_ID =
            "SELECT " + READ_COLUMNS + " FROM message WHERE sender_id = ? AND client_msg_id = ?";
    // ORDER BY names both columns of (conversation_id, seq): H2, which held these tables before,
    // read the index in order and stopped after the page only then (with "ORDER BY seq" it sorted
    // every later message of the conversation for each page); PageQueryPlanTest checks SQLite's plan.
    static final String AFTER = "SELECT " + READ_COLUMNS
            + " FROM message WHERE conversation_id = ? AND seq > ? AND seq <= ? ORDER BY conversation_id, seq LIMIT ?";

    private static final String SENDER_AT = "SELECT sender_id FROM message WHERE conversation_id = ? AND seq = ?";

    /**
     * Inserts the messages in one JDBC batch.
     *
     * @throws SQLException a unique violation (SQLState class 23) when the sender's client_msg_id
     *     is already stored
     */
    public void insertAll(Connection connection, List<Message> messages) throws SQLException {
        List<Message> plain = new ArrayList<>(messages.size());
        List<Message> typed = new ArrayList<>();
        List<Message> changes = new ArrayList<>();
        for (Message message : messages) {
            (message.hasChange() ? changes : carriesStoredContent(message) ? typed : plain).add(message);
        }
        insertBatch(connection, INSERT, plain);
        insertBatch(connection, INSERT_STORED_CONTENT, typed);
        insertBatch(connection, INSERT_CHANGE, changes);
    }

    /** Removes what the message at {@code seq} says (body, content, mentions) and marks it recalled. */
    public void recall(Connection connection, String conversationId, long seq) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RECALL)) {
            statement.setBytes(1, new byte[0]);
            statement.setString(2, conversationId);
            statement.setLong(3, seq);
            statement.executeUpdate();
        }
    }

    /** Replaces the change stored at {@code seq} (an edit whose target was recalled loses its content). */
    public void replaceChange(Connection connection, String conversationId, long seq, MessageChange change)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_CHANGE)) {
            statement.setBytes(1, change.toByteArray());
            statement.setString(2, conversationId);
            statement.setLong(3, seq);
            statement.executeUpdate();
        }
    }

    /** The message at {@code seq}, if there is one. */
    public Optional<Message> at(Connection connection, String conversationId, long seq) throws SQLException {
        return between(connection, conversationId, seq - 1, seq, 1).stream().findFirst();
    }

    private static boolean carriesStoredContent(Message message) {
        return message.hasContent() || message.getMentionsCount() > 0;
    }

    private static void insertBatch(Connection connection, String sql, List<Message> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Message message : messages) {
                bind(statement, message, message.hasChange() ? message.getChange().toByteArray()
                        : carriesStoredContent(message) ? StoredContent.newBuilder()
                        .setBody(message.getBody()).setContent(message.getContent())
                        .addAllMentions(message.getMentionsList()).build().toByteArray()
                        : message.getBody().toByteArray());
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (BatchUpdateException e) {
            // Report the row's own failure (its SQLState tells a unique violation), not the batch's.
            throw e.getNextException() != null ? e.getNextException() : e;
        }
    }

    /** Inserts a group's system message (its group_event set, its body empty). */
    public void insertGroupEvent(Connection connection, Message message) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_GROUP_EVENT)) {
            bind(statement, message, message.getGroupEvent().toByteArray());
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Message message, byte[] body) throws SQLException {
        statement.setLong(1, message.getMsgId());
        statement.setString(2, message.getConversationId());
        statement.setLong(3, message.getSeq());
        statement.setLong(4, message.getSenderId());
        statement.setString(5, message.getSenderDeviceId());
        statement.setString(6, message.getClientMsgId());
        statement.setBytes(7, body);
        statement.setLong(8, message.getCreatedAtMs());
    }

    /** The messages stored under any of the given idempotency keys, by key. */
    public Map<SenderKey, Message> findByClientMsgIds(Connection connection, Collection<SenderKey> keys)
            throws SQLException {
        Map<SenderKey, Message> found = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(BY_CLIENT_MSG_ID)) {
            for (SenderKey key : keys) {
                statement.setLong(1, key.senderId());
                statement.setString(2, key.clientMsgId());
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        found.put(key, read(rows));
                    }
                }
            }
        }
        return found;
    }

    /** The message a sender stored under an idempotency key, if any. */
    public Optional<Message> findByClientMsgId(Connection connection, long senderId, String clientMsgId)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(BY_CLIENT_MSG_ID)) {
            statement.setLong(1, senderId);
            statement.setString(2, clientMsgId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    /** At most {@code limit} messages with seq above {@code afterSeq}, in seq order. */
    public List<Message> after(Connection connection, String conversationId, long afterSeq, int limit)
            throws SQLException {
        return between(connection, conversationId, afterSeq, Long.MAX_VALUE, limit);
    }

    /** At most {@code limit} messages with seq above {@code afterSeq} and at most {@code upToSeq}, in seq order. */
    public List<Message> between(Connection connection, String conversationId, long afterSeq, long upToSeq,
            int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(AFTER)) {
            statement.setString(1, conversationId);
            statement.setLong(2, afterSeq);
            statement.setLong(3, upToSeq);
            statement.setInt(4, limit);
            try (ResultSet rows = statement.executeQuery()) {
                List<Message> messages = new ArrayList<>();
                while (rows.next()) {
                    messages.add(read(rows));
                }
                return messages;
            }
        }
    }

    /** The sender of the message at {@code seq}; 0 when there is none. */
    public long senderAt(Connection connection, String conversationId, long seq) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SENDER_AT)) {
            statement.setString(1, conversationId);
            statement.setLong(2, seq);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    /** A sender's idempotency key: what a resend of the same message carries again. */
    public record SenderKey(long senderId, String clientMsgId) {
    }

    private static Message read(ResultSet row) throws SQLException {
        Message.Builder message = Message.newBuilder()
                .setMsgId(row.getLong(1))
                .setConversationId(row.getString(2))
                .setSeq(row.getLong(3))
                .setSenderId(row.getLong(4))
                .setSenderDeviceId(row.getString(5))
                .setClientMsgId(row.getString(6))
                .setCreatedAtMs(row.getLong(8));
        byte[] body = row.getBytes(7);
        try {
            switch (row.getInt(9)) {
                case KIND_GROUP_EVENT -> message.setGroupEvent(GroupEvent.parseFrom(body));
                case KIND_CHANGE -> message.setChange(MessageChange.parseFrom(body));
                case KIND_RECALLED -> message.setRecalled(true);
                case KIND_STORED_CONTENT -> {
                    StoredContent stored = StoredContent.parseFrom(body);
                    message.setBody(stored.getBody()).addAllMentions(stored.getMentionsList());
                    if (stored.hasContent()) {
                        message.setContent(stored.getContent());
                    }
                }
                default -> message.setBody(ByteString.copyFrom(body));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new SQLException("unreadable body of message " + row.getLong(1), e);
        }
        return message.build();
    }
}
