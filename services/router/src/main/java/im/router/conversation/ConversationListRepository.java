package im.router.conversation;

import im.router.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A user's conversation list as one database holds it: the member rows of the user joined with
 * their conversations, in list order (pinned first, most recently pinned first; then by the time
 * of the last message, newest first; conversations the user left last), read from a position
 * onwards. Every method runs on the caller's connection.
 */
@ApplicationScoped
public class ConversationListRepository {

    // A former group member's conversation ends at its leaving and sorts last (sort_at 0). The
    // derived table names the sort columns once, so the position test and the ORDER BY agree.
    private static final String AFTER = "SELECT id, pinned_at, sort_at, last_seq, joined_seq, last_read_seq, "
            + "notifications_off FROM (SELECT m.conversation_id AS id, m.pinned_at AS pinned_at, "
            + "CASE WHEN m.left_seq > 0 THEN 0 ELSE c.last_at END AS sort_at, "
            + "CASE WHEN m.left_seq > 0 THEN m.left_seq ELSE c.last_seq END AS last_seq, "
            + "m.joined_seq AS joined_seq, m.last_read_seq AS last_read_seq, m.notifications_off AS notifications_off "
            + "FROM conversation_member m JOIN conversation c ON c.id = m.conversation_id "
            + "WHERE m.user_id = ? AND c.last_seq > 0) entry "
            + "WHERE pinned_at < ? OR (pinned_at = ? AND (sort_at < ? OR (sort_at = ? AND id > ?))) "
            + "ORDER BY pinned_at DESC, sort_at DESC, id LIMIT ?";
    private static final String SETTINGS = "SELECT notifications_off, pinned_at FROM conversation_member "
            + "WHERE conversation_id = ? AND user_id = ?";
    private static final String SET_SETTINGS = "UPDATE conversation_member SET notifications_off = ?, pinned_at = ? "
            + "WHERE conversation_id = ? AND user_id = ?";

    private final String lockedSettings;

    public ConversationListRepository(Transactions transactions) {
        lockedSettings = transactions.dialect().lockingRead(SETTINGS);
    }

    /** At most {@code limit} entries of the user's list after {@code position}, in list order. */
    public List<ListEntry> after(Connection connection, long userId, ListPosition position, int limit)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(AFTER)) {
            statement.setLong(1, userId);
            statement.setLong(2, position.pinnedAt());
            statement.setLong(3, position.pinnedAt());
            statement.setLong(4, position.sortAt());
            statement.setLong(5, position.sortAt());
            statement.setString(6, position.conversationId());
            statement.setInt(7, limit);
            try (ResultSet rows = statement.executeQuery()) {
                List<ListEntry> entries = new ArrayList<>();
                while (rows.next()) {
                    entries.add(new ListEntry(new ListPosition(rows.getLong(2), rows.getLong(3), rows.getString(1)),
                            rows.getLong(4), Math.max(1, rows.getLong(5)), rows.getLong(6), rows.getInt(7) != 0));
                }
                return entries;
            }
        }
    }

    /** The member's settings, its row locked until the transaction ends; empty when it is no member. */
    public Optional<MemberSettings> lockSettings(Connection connection, String conversationId, long userId)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lockedSettings)) {
            statement.setString(1, conversationId);
            statement.setLong(2, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new MemberSettings(rows.getInt(1) != 0, rows.getLong(2)))
                        : Optional.empty();
            }
        }
    }

    public void setSettings(Connection connection, String conversationId, long userId, MemberSettings settings)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_SETTINGS)) {
            statement.setInt(1, settings.notificationsOff() ? 1 : 0);
            statement.setLong(2, settings.pinnedAt());
            statement.setString(3, conversationId);
            statement.setLong(4, userId);
            statement.executeUpdate();
        }
    }

    /**
     * Where an entry sits in the list: the order is pinnedAt descending, sortAt descending,
     * conversationId ascending.
     */
    public record ListPosition(long pinnedAt, long sortAt, String conversationId) {
        /** Before every entry. */
        public static final ListPosition START = new ListPosition(Long.MAX_VALUE, Long.MAX_VALUE, "");

        /** Negative when this position comes before {@code other} in the list, positive when after. */
        public int compareInList(ListPosition other) {
            int byPin = Long.compare(other.pinnedAt, pinnedAt);
            if (byPin != 0) {
                return byPin;
            }
            int bySort = Long.compare(other.sortAt, sortAt);
            return bySort != 0 ? bySort : conversationId.compareTo(other.conversationId);
        }
    }

    /**
     * A conversation of the user's list: the seqs the user may read (firstSeq..lastSeq), how far
     * the user has read, and its notification setting.
     */
    public record ListEntry(ListPosition position, long lastSeq, long firstSeq, long readSeq,
            boolean notificationsOff) {
        public String conversationId() {
            return position.conversationId();
        }

        /** Messages beyond what the user has read (or joined after). */
        public long unread() {
            return Math.max(0, lastSeq - Math.max(readSeq, firstSeq - 1));
        }
    }

    /** A member's own settings of a conversation; pinnedAt is 0 when it is not pinned. */
    public record MemberSettings(boolean notificationsOff, long pinnedAt) {
    }
}
