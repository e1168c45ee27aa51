package im.router.group;

import im.common.grpc.GrpcErrors;
import im.common.token.VerifiedUser;
import im.protocol.client.ErrorCode;
import im.protocol.client.GroupRole;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.Group;
import im.protocol.router.GroupChangeResponse;
import im.protocol.router.GroupMember;
import im.protocol.router.JoinRequest;
import im.protocol.router.ListJoinRequestsResponse;
import im.protocol.router.GroupResponse;
import im.protocol.router.ListMembersRequest;
import im.protocol.router.ListMembersResponse;
import im.protocol.router.ListMyGroupsResponse;
import im.router.conversation.ConversationRepository;
import im.router.conversation.StoredSeqs;
import im.router.ids.MessageIds;
import im.router.message.MessageRepository;
import im.router.routing.DeliveryRouting;
import im.router.store.GroupCommit;
import im.router.store.RouterStore;
import im.router.store.Shards;
import im.router.store.Transactions;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Groups: changes go to their group's shard writer (one transaction with the system message that
 * records each, see {@link GroupChangeBatch}); reads go to the shard directly. Blocking: call
 * from a worker thread.
 */
@ApplicationScoped
public class GroupService {

    private static final Logger LOG = Logger.getLogger(GroupService.class);
    private static final int MAX_MEMBER_PAGE = 500;
    private static final int DEFAULT_MEMBER_PAGE = 100;
    private static final int MAX_REQUESTS_LISTED = 1000;
    private static final int CHANGES_PER_TRANSACTION = 64;
    private static final int CHANGES_QUEUED = 1024;

    private final GroupConfig config;
    private final Shards shards;
    private final GroupRepository groups;
    private final MessageIds ids;
    // By shard number, as the send lanes.
    private final List<GroupCommit.Lane<GroupChangeBatch.Request, GroupChangeBatch.Result>> changes;

    public GroupService(GroupConfig config, Shards shards, ConversationRepository conversations,
            GroupRepository groups, MessageRepository messages, StoredSeqs storedSeqs, GroupRosters rosters,
            MessageIds ids, DeliveryRouting routing) {
        this.config = config;
        this.shards = shards;
        this.groups = groups;
        this.ids = ids;
        GroupChangeBatch batch = new GroupChangeBatch(conversations, groups, messages, storedSeqs, rosters,
                new GroupRules(config.maxMembers()), routing);
        this.changes = shards.all().stream()
                .map(shard -> shard.groupCommit().lane("group-changes", RouterStore.GROUP_CHANGES_RANK, batch,
                        CHANGES_PER_TRANSACTION, CHANGES_QUEUED))
                .toList();
    }

    /** Makes a group owned by the caller; answers it once stored. */
    public CompletionStage<GroupResponse> create(VerifiedUser caller, CreateGroupRequest request) {
        requireFew(request.getMemberIdsList());
        long groupId = ids.next();
        String conversationId = GroupIds.conversationOf(groupId);
        GroupChange change = new GroupChange.Create(request.getName(), request.getMemberIdsList(),
                request.getJoinPolicy());
        return submit(caller, conversationId, change).thenApply(result -> GroupResponse.newBuilder()
                .setGroup(view(result.roster(), caller.userId())).build());
    }

    /** Any other change; answers the seq of its system message (0 when it changed nothing). */
    public CompletionStage<GroupChangeResponse> change(VerifiedUser caller, long groupId, GroupChange change) {
        String conversationId = GroupIds.conversationOf(groupId);
        return submit(caller, conversationId, change).thenApply(result -> GroupChangeResponse.newBuilder()
                .setGroupId(groupId)
                .setSeq(result.message() == null ? 0 : result.message().getSeq())
                .setPending(result.pending())
                .build());
    }

    /** Who asks to join; owner and admins only. */
    public ListJoinRequestsResponse joinRequests(VerifiedUser caller, long groupId) {
        String conversationId = GroupIds.conversationOf(groupId);
        List<JoinRequest> requests = read(conversationId, "Join request read", connection -> {
            Group group = groups.seenBy(connection, conversationId, caller.userId());
            if (group == null) {
                throw GroupRules.noSuchGroup();
            }
            if (group.getMyRole().getNumber() < GroupRole.ADMIN.getNumber()) {
                throw GrpcErrors.error(ErrorCode.PERMISSION_DENIED, "only the owner and admins see requests to join");
            }
            return groups.requests(connection, conversationId, MAX_REQUESTS_LISTED);
        });
        return ListJoinRequestsResponse.newBuilder().addAllRequests(requests).build();
    }

    public GroupResponse get(VerifiedUser caller, long groupId) {
        String conversationId = GroupIds.conversationOf(groupId);
        Group group = read(conversationId, "Group read",
                connection -> groups.seenBy(connection, conversationId, caller.userId()));
        if (group == null) {
            throw GroupRules.noSuchGroup();
        }
        return GroupResponse.newBuilder().setGroup(group).build();
    }

    /** The caller's groups on every shard, by conversation id. */
    public ListMyGroupsResponse mine(VerifiedUser caller) {
        List<Group> mine = new ArrayList<>();
        for (Shards.Shard shard : shards.all()) {
            try {
                for (Group group : shard.transactions().read(connection -> groups.ofMember(connection,
                        caller.userId()))) {
                    // A moved bucket's rows stay on its old shard until they are deleted there.
                    if (shards.of(group.getConversationId()).index() == shard.index()) {
                        mine.add(group);
                    }
                }
            } catch (SQLException e) {
                LOG.errorf(e, "Group list read failed");
                throw unavailable();
            }
        }
        mine.sort(Comparator.comparing(Group::getConversationId));
        return ListMyGroupsResponse.newBuilder().addAllGroups(mine).build();
    }

    public ListMembersResponse members(VerifiedUser caller, ListMembersRequest request) {
        if (request.getLimit() < 0 || request.getLimit() > MAX_MEMBER_PAGE || request.getAfterUserId() < 0) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT,
                    "limit must be 1.." + MAX_MEMBER_PAGE + " (0 means " + DEFAULT_MEMBER_PAGE + "), after_user_id >= 0");
        }
        int limit = request.getLimit() == 0 ? DEFAULT_MEMBER_PAGE : request.getLimit();
        String conversationId = GroupIds.conversationOf(request.getGroupId());
        ListMembersResponse page = read(conversationId, "Group member read", connection -> {
            if (groups.seenBy(connection, conversationId, caller.userId()) == null) {
                return null;
            }
            List<GroupMember> members = groups.members(connection, conversationId,
                    request.getAfterUserId(), limit + 1);
            boolean more = members.size() > limit;
            return ListMembersResponse.newBuilder()
                    .addAllMembers(more ? members.subList(0, limit) : members)
                    .setHasMore(more)
                    .build();
        });
        if (page == null) {
            throw GroupRules.noSuchGroup();
        }
        return page;
    }

    /** Refuses a change naming more users than one change may. */
    public void requireFew(List<Long> userIds) {
        if (userIds.size() > config.maxUsersPerChange()) {
            throw GrpcErrors.error(ErrorCode.INVALID_ARGUMENT,
                    "at most " + config.maxUsersPerChange() + " users per change");
        }
    }

    private CompletionStage<GroupChangeBatch.Result> submit(VerifiedUser caller, String conversationId,
            GroupChange change) {
        int shard = shards.forWrite(conversationId).index();
        GroupChangeBatch.Request request = new GroupChangeBatch.Request(conversationId, caller.userId(), change,
                ids.next());
        return changes.get(shard).submit(request).handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                LOG.warnf("Group change of %s not stored: %s", conversationId, cause.toString());
                throw unavailable();
            }
            if (result.refusal() != null) {
                throw result.refusal();
            }
            return result;
        });
    }

    private static Group view(GroupRoster roster, long userId) {
        GroupRoster.Settings settings = roster.settings();
        GroupRoster.Member member = roster.member(userId);
        return Group.newBuilder()
                .setGroupId(GroupIds.of(roster.conversationId()))
                .setConversationId(roster.conversationId())
                .setName(settings.name())
                .setOwnerId(settings.ownerId())
                .setJoinPolicy(settings.joinPolicy())
                .setMuted(settings.muted())
                .setDissolved(settings.dissolved())
                .setMemberCount(roster.members().size())
                .setCreatedAtMs(settings.createdAtMs())
                .setMyRole(member.role())
                .setJoinedSeq(member.joinedSeq())
                .build();
    }

    private <T> T read(String conversationId, String what, Transactions.Work<T> work) {
        try {
            return shards.of(conversationId).transactions().read(work);
        } catch (SQLException e) {
            LOG.errorf(e, "%s failed", what);
            throw unavailable();
        }
    }

    private static StatusRuntimeException unavailable() {
        return GrpcErrors.error(ErrorCode.UNAVAILABLE, "message store unavailable");
    }
}
