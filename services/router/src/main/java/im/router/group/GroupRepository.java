package im.router.group;

import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import im.protocol.router.Group;
import im.protocol.router.GroupMember;
import im.protocol.router.JoinRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Groups on their conversation's shard: settings in group_info, members on conversation_member
 * (role above 0 while in). Runs on the caller's connection.
 */
@ApplicationScoped
public class GroupRepository {

    private static final String SETTINGS = "SELECT name, owner_id, join_policy, muted, dissolved, created_at "
            + "FROM group_info WHERE conversation_id = ?";
    private static final String MEMBERS = "SELECT user_id, role, muted, joined_seq FROM conversation_member "
            + "WHERE conversation_id = ? AND role > 0";
    private static final String INSERT_GROUP = "INSERT INTO group_info (conversation_id, name, owner_id, "
            + "join_policy, muted, dissolved, member_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_GROUP = "UPDATE group_info SET name = ?, owner_id = ?, join_policy = ?, "
            + "muted = ?, dissolved = ?, member_count = ? WHERE conversation_id = ?";
    private static final String REJOIN = "UPDATE conversation_member SET role = ?, muted = ?, joined_seq = ?, "
            + "left_seq = 0 WHERE conversation_id = ? AND user_id = ?";
    private static final String JOIN = "INSERT INTO conversation_member (conversation_id, user_id, joined_at, role, "
            + "muted, joined_seq) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_MEMBER = "UPDATE conversation_member SET role = ?, muted = ? "
            + "WHERE conversation_id = ? AND user_id = ?";
    private static final String LEAVE = "UPDATE conversation_member SET role = 0, muted = 0, left_seq = ? "
            + "WHERE conversation_id = ? AND user_id = ?";
    private static final String READABLE = "SELECT role, joined_seq, left_seq FROM conversation_member "
            + "WHERE conversation_id = ? AND user_id = ?";
    private static final String OF_MEMBER = "SELECT g.conversation_id, g.name, g.owner_id, g.join_policy, g.muted, "
            + "g.dissolved, g.member_count, g.created_at, m.role, m.joined_seq FROM conversation_member m "
            + "JOIN group_info g ON g.conversation_id = m.conversation_id WHERE m.user_id = ? AND m.role > 0 "
            + "ORDER BY g.conversation_id";
    private static final String ONE_OF_MEMBER = "SELECT g.conversation_id, g.name, g.owner_id, g.join_policy, "
            + "g.muted, g.dissolved, g.member_count, g.created_at, m.role, m.joined_seq FROM conversation_member m "
            + "JOIN group_info g ON g.conversation_id = m.conversation_id "
            + "WHERE m.conversation_id = ? AND m.user_id = ? AND m.role > 0";
    private static final String ASKING = "SELECT 1 FROM group_join_request WHERE conversation_id = ? AND user_id = ?";
    private static final String ASK = "INSERT INTO group_join_request (conversation_id, user_id, requested_at) "
            + "VALUES (?, ?, ?)";
    private static final String SETTLE = "DELETE FROM group_join_request WHERE conversation_id = ? AND user_id = ?";
    private static final String REQUESTS = "SELECT user_id, requested_at FROM group_join_request "
            + "WHERE conversation_id = ? ORDER BY requested_at, user_id LIMIT ?";
    private static final String MEMBER_COUNT = "SELECT member_count FROM group_info WHERE conversation_id = ?";
    private static final String MEMBER_IDS = "SELECT user_id FROM conversation_member "
            + "WHERE conversation_id = ? AND role > 0";
    private static final String MEMBER_PAGE = "SELECT user_id, role, muted, joined_seq FROM conversation_member "
            + "WHERE conversation_id = ? AND role > 0 AND user_id > ? ORDER BY conversation_id, user_id LIMIT ?";

    /** The group as it stands in the transaction; null when there is no such group. */
    public GroupRoster roster(Connection connection, String conversationId, long atSeq) throws SQLException {
        GroupRoster.Settings settings;
        try (PreparedStatement statement = connection.prepareStatement(SETTINGS)) {
            statement.setString(1, conversationId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                settings = new GroupRoster.Settings(new String(row.getBytes(1), StandardCharsets.UTF_8),
                        row.getLong(2), JoinPolicy.forNumber(row.getInt(3)), row.getInt(4) != 0, row.getInt(5) != 0,
                        row.getLong(6));
            }
        }
        Map<Long, GroupRoster.Member> members = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(MEMBERS)) {
            statement.setString(1, conversationId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    members.put(rows.getLong(1), new GroupRoster.Member(GroupRole.forNumber(rows.getInt(2)),
                            rows.getInt(3) != 0, rows.getLong(4)));
                }
            }
        }
        return new GroupRoster(conversationId, settings, members, atSeq);
    }

    /** Writes what differs between the two rosters ({@code before} null for a new group). */
    public void write(Connection connection, GroupRoster before, GroupRoster after, long nowMs) throws SQLException {
        GroupRoster.Settings settings = after.settings();
        if (before == null) {
            try (PreparedStatement statement = connection.prepareStatement(INSERT_GROUP)) {
                statement.setString(1, after.conversationId());
                bindSettings(statement, settings, after.members().size(), 2);
                statement.setLong(8, settings.createdAtMs());
                statement.executeUpdate();
            }
        } else if (!settings.equals(before.settings()) || after.members().size() != before.members().size()) {
            try (PreparedStatement statement = connection.prepareStatement(UPDATE_GROUP)) {
                bindSettings(statement, settings, after.members().size(), 1);
                statement.setString(7, after.conversationId());
                statement.executeUpdate();
            }
        }
        Map<Long, GroupRoster.Member> old = before == null ? Map.of() : before.members();
        for (Map.Entry<Long, GroupRoster.Member> entry : after.members().entrySet()) {
            GroupRoster.Member was = old.get(entry.getKey());
            GroupRoster.Member now = entry.getValue();
            if (was == null) {
                join(connection, after.conversationId(), entry.getKey(), now, nowMs);
            } else if (!Objects.equals(was, now)) {
                update(connection, UPDATE_MEMBER, after.conversationId(), entry.getKey(), now);
            }
        }
        for (long gone : old.keySet()) {
            if (!after.members().containsKey(gone)) {
                try (PreparedStatement statement = connection.prepareStatement(LEAVE)) {
                    statement.setLong(1, after.atSeq());
                    statement.setString(2, after.conversationId());
                    statement.setLong(3, gone);
                    statement.executeUpdate();
                }
            }
        }
    }

    /** Which seqs of the conversation the user may read; null when it never was a member. */
    public Readable readable(Connection connection, String conversationId, long userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(READABLE)) {
            statement.setString(1, conversationId);
            statement.setLong(2, userId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                int role = row.getInt(1);
                long leftSeq = row.getLong(3);
                if (role == 0 && leftSeq == 0) {
                    return null;
                }
                return new Readable(Math.max(1, row.getLong(2)), role > 0 ? Long.MAX_VALUE : leftSeq);
            }
        }
    }

    /** The current members' ids when the group has fewer than {@code limit} members; empty otherwise. */
    public List<Long> memberIdsIfFewer(Connection connection, String conversationId, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MEMBER_COUNT)) {
            statement.setString(1, conversationId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next() || row.getInt(1) >= limit) {
                    return List.of();
                }
            }
        }
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(MEMBER_IDS)) {
            statement.setString(1, conversationId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Which of the users have asked to join the group. */
    public Set<Long> asking(Connection connection, String conversationId, Collection<Long> userIds)
            throws SQLException {
        Set<Long> asking = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(ASKING)) {
            for (long userId : new HashSet<>(userIds)) {
                statement.setString(1, conversationId);
                statement.setLong(2, userId);
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next()) {
                        asking.add(userId);
                    }
                }
            }
        }
        return asking;
    }

    /** Records the users' requests to join (none of them asking yet) and drops the settled ones. */
    public void writeRequests(Connection connection, String conversationId, Set<Long> asks, Set<Long> settled,
            long nowMs) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ASK)) {
            for (long userId : asks) {
                statement.setString(1, conversationId);
                statement.setLong(2, userId);
                statement.setLong(3, nowMs);
                statement.executeUpdate();
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(SETTLE)) {
            for (long userId : settled) {
                statement.setString(1, conversationId);
                statement.setLong(2, userId);
                statement.executeUpdate();
            }
        }
    }

    /** The requests to join, oldest first (at most {@code limit}). */
    public List<JoinRequest> requests(Connection connection, String conversationId, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(REQUESTS)) {
            statement.setString(1, conversationId);
            statement.setInt(2, limit);
            try (ResultSet rows = statement.executeQuery()) {
                List<JoinRequest> requests = new ArrayList<>();
                while (rows.next()) {
                    requests.add(JoinRequest.newBuilder().setUserId(rows.getLong(1))
                            .setRequestedAtMs(rows.getLong(2)).build());
                }
                return requests;
            }
        }
    }

    /** The user's groups on this shard, by conversation id. */
    public List<Group> ofMember(Connection connection, long userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(OF_MEMBER)) {
            statement.setLong(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                List<Group> groups = new ArrayList<>();
                while (rows.next()) {
                    groups.add(group(rows));
                }
                return groups;
            }
        }
    }

    /** The group as its member {@code userId} sees it; null when the user is not in it. */
    public Group seenBy(Connection connection, String conversationId, long userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ONE_OF_MEMBER)) {
            statement.setString(1, conversationId);
            statement.setLong(2, userId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? group(row) : null;
            }
        }
    }

    /** At most {@code limit} current members with a user id above {@code afterUserId}, by user id. */
    public List<GroupMember> members(Connection connection, String conversationId, long afterUserId, int limit)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MEMBER_PAGE)) {
            statement.setString(1, conversationId);
            statement.setLong(2, afterUserId);
            statement.setInt(3, limit);
            try (ResultSet rows = statement.executeQuery()) {
                List<GroupMember> members = new ArrayList<>();
                while (rows.next()) {
                    members.add(GroupMember.newBuilder()
                            .setUserId(rows.getLong(1))
                            .setRole(GroupRole.forNumber(rows.getInt(2)))
                            .setMuted(rows.getInt(3) != 0)
                            .setJoinedSeq(rows.getLong(4))
                            .build());
                }
                return members;
            }
        }
    }

    private static Group group(ResultSet row) throws SQLException {
        String conversationId = row.getString(1);
        return Group.newBuilder()
                .setGroupId(GroupIds.of(conversationId))
                .setConversationId(conversationId)
                .setName(new String(row.getBytes(2), StandardCharsets.UTF_8))
                .setOwnerId(row.getLong(3))
                .setJoinPolicy(JoinPolicy.forNumber(row.getInt(4)))
                .setMuted(row.getInt(5) != 0)
                .setDissolved(row.getInt(6) != 0)
                .setMemberCount(row.getInt(7))
                .setCreatedAtMs(row.getLong(8))
                .setMyRole(GroupRole.forNumber(row.getInt(9)))
                .setJoinedSeq(row.getLong(10))
                .build();
    }

    private static void bindSettings(PreparedStatement statement, GroupRoster.Settings settings, int memberCount,
            int first) throws SQLException {
        statement.setBytes(first, settings.name().getBytes(StandardCharsets.UTF_8));
        statement.setLong(first + 1, settings.ownerId());
        statement.setInt(first + 2, settings.joinPolicy().getNumber());
        statement.setInt(first + 3, settings.muted() ? 1 : 0);
        statement.setInt(first + 4, settings.dissolved() ? 1 : 0);
        statement.setInt(first + 5, memberCount);
    }

    private static void join(Connection connection, String conversationId, long userId, GroupRoster.Member member,
            long nowMs) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(REJOIN)) {
            statement.setInt(1, member.role().getNumber());
            statement.setInt(2, member.muted() ? 1 : 0);
            statement.setLong(3, member.joinedSeq());
            statement.setString(4, conversationId);
            statement.setLong(5, userId);
            if (statement.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(JOIN)) {
            statement.setString(1, conversationId);
            statement.setLong(2, userId);
            statement.setLong(3, nowMs);
            statement.setInt(4, member.role().getNumber());
            statement.setInt(5, member.muted() ? 1 : 0);
            statement.setLong(6, member.joinedSeq());
            statement.executeUpdate();
        }
    }

    private static void update(Connection connection, String sql, String conversationId, long userId,
            GroupRoster.Member member) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, member.role().getNumber());
            statement.setInt(2, member.muted() ? 1 : 0);
            statement.setString(3, conversationId);
            statement.setLong(4, userId);
            statement.executeUpdate();
        }
    }

    /** Seqs a user may read: from its (latest) joining, up to its leaving or without end. */
    public record Readable(long firstSeq, long lastSeq) {
    }
}
