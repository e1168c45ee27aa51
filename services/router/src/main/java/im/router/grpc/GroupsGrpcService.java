package im.router.grpc;

import im.common.access.Permissions;
import im.common.token.AccessTokenVerifier;
import im.common.token.CallerTokens;
import im.common.token.VerifiedUser;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.GroupChangeResponse;
import im.protocol.router.GroupMembersRequest;
import im.protocol.router.GroupRequest;
import im.protocol.router.GroupResponse;
import im.protocol.router.Groups;
import im.protocol.router.ListJoinRequestsResponse;
import im.protocol.router.ListMembersRequest;
import im.protocol.router.ListMembersResponse;
import im.protocol.router.ListMyGroupsRequest;
import im.protocol.router.ListMyGroupsResponse;
import im.protocol.router.RenameGroupRequest;
import im.protocol.router.SetGroupMutedRequest;
import im.protocol.router.SetMembersMutedRequest;
import im.protocol.router.SetRoleRequest;
import im.protocol.router.TransferOwnershipRequest;
import im.router.group.GroupChange;
import im.router.group.GroupService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * gRPC {@code Groups}: every call acts for the user its token names, on a router thread, and needs
 * group:use.
 */
@GrpcService
public class GroupsGrpcService implements Groups {

    private final AccessTokenVerifier verifier;
    private final GroupService groups;
    private final RouterWorkers workers;

    public GroupsGrpcService(AccessTokenVerifier verifier, GroupService groups, RouterWorkers workers) {
        this.verifier = verifier;
        this.groups = groups;
        this.workers = workers;
    }

    @Override
    public Uni<GroupResponse> createGroup(CreateGroupRequest request) {
        return workers.runStage(() -> groups.create(caller(), request));
    }

    @Override
    public Uni<GroupChangeResponse> addMembers(GroupMembersRequest request) {
        return change(request.getGroupId(), request.getUserIdsList(), new GroupChange.AddMembers(request.getUserIdsList()));
    }

    @Override
    public Uni<GroupChangeResponse> join(GroupRequest request) {
        return change(request.getGroupId(), List.of(), new GroupChange.Join());
    }

    @Override
    public Uni<ListJoinRequestsResponse> listJoinRequests(GroupRequest request) {
        return workers.run(() -> groups.joinRequests(caller(), request.getGroupId()));
    }

    @Override
    public Uni<GroupChangeResponse> approveJoin(GroupMembersRequest request) {
        return change(request.getGroupId(), request.getUserIdsList(), new GroupChange.ApproveJoin(request.getUserIdsList()));
    }

    @Override
    public Uni<GroupChangeResponse> rejectJoin(GroupMembersRequest request) {
        return change(request.getGroupId(), request.getUserIdsList(), new GroupChange.RejectJoin(request.getUserIdsList()));
    }

    @Override
    public Uni<GroupChangeResponse> leave(GroupRequest request) {
        return change(request.getGroupId(), List.of(), new GroupChange.Leave());
    }

    @Override
    public Uni<GroupChangeResponse> removeMembers(GroupMembersRequest request) {
        return change(request.getGroupId(), request.getUserIdsList(),
                new GroupChange.RemoveMembers(request.getUserIdsList()));
    }

    @Override
    public Uni<GroupChangeResponse> setRole(SetRoleRequest request) {
        return change(request.getGroupId(), request.getUserIdsList(),
                new GroupChange.SetRole(request.getUserIdsList(), request.getRole()));
    }

    @Override
    public Uni<GroupChangeResponse> transferOwnership(TransferOwnershipRequest request) {
        return change(request.getGroupId(), List.of(), new GroupChange.TransferOwnership(request.getNewOwnerId()));
    }

    @Override
    public Uni<GroupChangeResponse> setMembersMuted(SetMembersMutedRequest request) {
        return change(request.getGroupId(), request.getUserIdsList(),
                new GroupChange.SetMembersMuted(request.getUserIdsList(), request.getMuted()));
    }

    @Override
    public Uni<GroupChangeResponse> setGroupMuted(SetGroupMutedRequest request) {
        return change(request.getGroupId(), List.of(), new GroupChange.SetGroupMuted(request.getMuted()));
    }

    @Override
    public Uni<GroupChangeResponse> rename(RenameGroupRequest request) {
        return change(request.getGroupId(), List.of(), new GroupChange.Rename(request.getName()));
    }

    @Override
    public Uni<GroupChangeResponse> dissolve(GroupRequest request) {
        return change(request.getGroupId(), List.of(), new GroupChange.Dissolve());
    }

    @Override
    public Uni<GroupResponse> getGroup(GroupRequest request) {
        return workers.run(() -> groups.get(caller(), request.getGroupId()));
    }

    @Override
    public Uni<ListMyGroupsResponse> listMyGroups(ListMyGroupsRequest request) {
        return workers.run(() -> groups.mine(caller()));
    }

    @Override
    public Uni<ListMembersResponse> listMembers(ListMembersRequest request) {
        return workers.run(() -> groups.members(caller(), request));
    }

    private Uni<GroupChangeResponse> change(long groupId, List<Long> named, GroupChange change) {
        return workers.runStage(() -> {
            VerifiedUser caller = caller();
            groups.requireFew(named);
            return groups.change(caller, groupId, change);
        });
    }

    private VerifiedUser caller() {
        return CallerTokens.requirePermitted(verifier, Permissions.GROUP_USE);
    }
}
