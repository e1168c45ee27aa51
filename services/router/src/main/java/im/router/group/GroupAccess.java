package im.router.group;

import im.protocol.client.ConversationIds;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Which seqs of a conversation a user may read, checked on the conversation's shard: all of a
 * private conversation it is named in; of a group, from its (latest) joining up to its leaving.
 */
@ApplicationScoped
public class GroupAccess {

    private static final GroupRepository.Readable ALL = new GroupRepository.Readable(1, Long.MAX_VALUE);

    private final GroupRepository groups;

    public GroupAccess(GroupRepository groups) {
        this.groups = groups;
    }

    /**
     * The seqs the user may read. Call after {@code ConversationAccess.requireMember}, which checks
     * a private conversation's members from its id.
     *
     * @throws io.grpc.StatusRuntimeException UNKNOWN_CONVERSATION for a group the user never was in
     */
    public GroupRepository.Readable require(Connection connection, String conversationId, long userId)
            throws SQLException {
        if (ConversationIds.isPrivate(conversationId)) {
            return ALL;
        }
        GroupRepository.Readable readable = groups.readable(connection, conversationId, userId);
        if (readable == null) {
            throw GroupRules.noSuchGroup();
        }
        return readable;
    }
}
