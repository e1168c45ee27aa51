package im.router.typing;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.Typing;
import im.protocol.router.TypingRequest;
import im.protocol.router.TypingResponse;
import im.router.conversation.ConversationAccess;
import im.router.group.GroupConfig;
import im.router.group.GroupRepository;
import im.router.group.GroupRoster;
import im.router.group.GroupRosters;
import im.router.routing.DeliveryRouting;
import im.router.send.SendPermissions;
import im.router.store.Shards;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Typing: a user is typing (or stopped) in a conversation. Checked as a send to the conversation
 * would be, then handed to the other members' push nodes; nothing is written and nothing is queued
 * behind a group commit. A device sends one every few seconds while its user types, so the check
 * reads memory where a send's check keeps it: the friendship cache of {@link SendPermissions} and
 * the rosters this node remembers, the latter possibly a moment behind another node's change (a
 * signal that is only advisory may go by it). Blocking (the user service may be asked, a roster
 * this node does not remember is read): call from a worker.
 */
@ApplicationScoped
public class TypingSignals {

    private static final Logger LOG = Logger.getLogger(TypingSignals.class);

    private final SendPermissions permissions;
    private final GroupRosters rosters;
    private final GroupRepository groups;
    private final GroupConfig groupConfig;
    private final Shards shards;
    private final DeliveryRouting routing;

    public TypingSignals(SendPermissions permissions, GroupRosters rosters, GroupRepository groups,
            GroupConfig groupConfig, Shards shards, DeliveryRouting routing) {
        this.permissions = permissions;
        this.rosters = rosters;
        this.groups = groups;
        this.groupConfig = groupConfig;
        this.shards = shards;
        this.routing = routing;
    }

    /**
     * Publishes the caller's typing to the conversation's other members.
     *
     * @throws io.grpc.StatusRuntimeException what a send to the conversation would be refused with:
     *     INVALID_ARGUMENT, UNKNOWN_CONVERSATION, UNKNOWN_USER, NOT_FRIENDS, PERMISSION_DENIED; or
     *     UNAVAILABLE when the user service or the store cannot answer
     */
    public TypingResponse signal(VerifiedUser caller, TypingRequest request) {
        String conversationId = request.getTyping().getConversationId();
        List<Long> named = ConversationAccess.requireMember(conversationId, caller.userId());
        Collection<Long> others = ConversationIds.isPrivate(conversationId) ? privatePeer(caller, named)
                : groupPeers(caller, conversationId);
        if (!others.isEmpty()) {
            routing.publishTyping(Typing.newBuilder()
                    .setConversationId(conversationId)
                    .setUserId(caller.userId())
                    .setTyping(request.getTyping().getTyping())
                    .build(), others);
        }
        return TypingResponse.getDefaultInstance();
    }

    private List<Long> privatePeer(VerifiedUser caller, List<Long> named) {
        List<Long> others = ConversationAccess.othersThan(named, caller.userId());
        if (others.isEmpty()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT, "cannot type to yourself");
        }
        permissions.require(caller.userId(), others.get(0));
        return others;
    }

    /** The members told, none in a group too large to list receipts (it lists no typing either). */
    private Collection<Long> groupPeers(VerifiedUser caller, String conversationId) {
        GroupRoster roster = roster(conversationId);
        if (roster == null) {
            throw GrpcErrors.error(ErrorCode.UNKNOWN_CONVERSATION, "no such group");
        }
        String refusal = roster.sendRefusal(caller.userId());
        if (refusal != null) {
            throw GrpcErrors.error(ErrorCode.PERMISSION_DENIED, refusal);
        }
        if (roster.members().size() >= groupConfig.receiptsListedUpTo()) {
            return List.of();
        }
        return roster.memberIds();
    }

    /**
     * The remembered roster; read when there is none. A roster read here is not remembered: it is
     * not read under the conversation's lock, and sends trust what is remembered.
     */
    private GroupRoster roster(String conversationId) {
        GroupRoster remembered = rosters.latest(conversationId);
        if (remembered != null) {
            return remembered;
        }
        try {
            return shards.of(conversationId).transactions()
                    .read(connection -> groups.roster(connection, conversationId, 0));
        } catch (SQLException e) {
            LOG.errorf(e, "Roster read for typing failed");
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
        }
    }
}
