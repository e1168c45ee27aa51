package im.user.group;

import im.common.access.Permissions;
import im.protocol.client.JoinPolicy;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.GroupMembersRequest;
import im.protocol.router.GroupRequest;
import im.protocol.router.ListMembersRequest;
import im.protocol.router.ListMyGroupsRequest;
import im.protocol.router.RenameGroupRequest;
import im.protocol.router.SetGroupMutedRequest;
import im.protocol.router.SetMembersMutedRequest;
import im.protocol.router.SetRoleRequest;
import im.protocol.router.TransferOwnershipRequest;
import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import im.user.profile.Profiles;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Groups over REST. The router owns groups (membership, roles, settings, each change a message
 * in the group's conversation); every call here is forwarded to its {@code Groups} service as the
 * caller, with the caller's own access token, so the router decides who may do what. This service
 * adds what only it knows: that the users a call brings in exist. The methods return plain values,
 * so Quarkus REST runs them on worker threads, where the blocking router calls belong.
 */
@Path("/groups")
@PermissionsAllowed(Permissions.GROUP_USE)
@Produces(MediaType.APPLICATION_JSON)
public class GroupResource {

    private final RouterGroups router;
    private final Profiles profiles;
    private final GroupsConfig config;
    private final JsonWebToken caller;

    public GroupResource(RouterGroups router, Profiles profiles, GroupsConfig config, JsonWebToken caller) {
        this.router = router;
        this.profiles = profiles;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateGroupBody body) {
        GroupArguments.body(body);
        JoinPolicy joinPolicy = GroupArguments.joinPolicy(body.joinPolicy());
        List<Long> memberIds = existing(GroupArguments.userIds(body.memberIds(), "memberIds", config.maxUsersPerCall()));
        CreateGroupRequest request = CreateGroupRequest.newBuilder()
                .setName(body.name() == null ? "" : body.name())
                .addAllMemberIds(memberIds)
                .setJoinPolicy(joinPolicy)
                .build();
        GroupView created = GroupView.of(router.call(token(), groups -> groups.createGroup(request)).getGroup());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    /** The caller's groups (those it is a member of now), by group id. */
    @GET
    public List<GroupView> mine() {
        return router.call(token(), groups -> groups.listMyGroups(ListMyGroupsRequest.getDefaultInstance()))
                .getGroupsList().stream().map(GroupView::of).toList();
    }

    @GET
    @Path("/{groupId}")
    public GroupView get(@PathParam("groupId") long groupId) {
        return GroupView.of(router.call(token(), groups -> groups.getGroup(group(groupId))).getGroup());
    }

    @GET
    @Path("/{groupId}/members")
    public MembersPage members(@PathParam("groupId") long groupId,
            @QueryParam("after") @DefaultValue("0") long afterUserId,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        GroupArguments.page(afterUserId, limit);
        ListMembersRequest request = ListMembersRequest.newBuilder()
                .setGroupId(groupId).setAfterUserId(afterUserId).setLimit(limit).build();
        return MembersPage.of(router.call(token(), groups -> groups.listMembers(request)));
    }

    @POST
    @Path("/{groupId}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    public GroupChange add(@PathParam("groupId") long groupId, MembersBody body) {
        GroupArguments.body(body);
        List<Long> userIds = existing(GroupArguments.userIds(body.userIds(), "userIds", config.maxUsersPerCall()));
        GroupMembersRequest request = GroupMembersRequest.newBuilder()
                .setGroupId(groupId).addAllUserIds(userIds).build();
        return GroupChange.of(router.call(token(), groups -> groups.addMembers(request)));
    }

    @DELETE
    @Path("/{groupId}/members/{userId}")
    public GroupChange remove(@PathParam("groupId") long groupId, @PathParam("userId") long userId) {
        GroupMembersRequest request = GroupMembersRequest.newBuilder()
                .setGroupId(groupId).addUserIds(userId).build();
        return GroupChange.of(router.call(token(), groups -> groups.removeMembers(request)));
    }

    /** The caller joins an OPEN group, or asks to join an APPROVAL group ({@code pending}). */
    @POST
    @Path("/{groupId}/join")
    public GroupChange join(@PathParam("groupId") long groupId) {
        return GroupChange.of(router.call(token(), groups -> groups.join(group(groupId))));
    }

    /** Owner and admins: who asks to join, oldest first. */
    @GET
    @Path("/{groupId}/requests")
    public List<JoinRequestView> joinRequests(@PathParam("groupId") long groupId) {
        return router.call(token(), groups -> groups.listJoinRequests(group(groupId)))
                .getRequestsList().stream().map(JoinRequestView::of).toList();
    }

    /** Owner and admins: the user joins if it asked (seq 0 when it did not). */
    @POST
    @Path("/{groupId}/requests/{userId}/approve")
    public GroupChange approveJoin(@PathParam("groupId") long groupId, @PathParam("userId") long userId) {
        existing(List.of(userId));
        GroupMembersRequest request = GroupMembersRequest.newBuilder()
                .setGroupId(groupId).addUserIds(userId).build();
        return GroupChange.of(router.call(token(), groups -> groups.approveJoin(request)));
    }

    /** Owner and admins: the user's request is dropped; nothing enters the timeline (seq 0). */
    @DELETE
    @Path("/{groupId}/requests/{userId}")
    public GroupChange rejectJoin(@PathParam("groupId") long groupId, @PathParam("userId") long userId) {
        GroupMembersRequest request = GroupMembersRequest.newBuilder()
                .setGroupId(groupId).addUserIds(userId).build();
        return GroupChange.of(router.call(token(), groups -> groups.rejectJoin(request)));
    }

    @POST
    @Path("/{groupId}/leave")
    public GroupChange leave(@PathParam("groupId") long groupId) {
        return GroupChange.of(router.call(token(), groups -> groups.leave(group(groupId))));
    }

    @PUT
    @Path("/{groupId}/members/{userId}/role")
    @Consumes(MediaType.APPLICATION_JSON)
    public GroupChange setRole(@PathParam("groupId") long groupId, @PathParam("userId") long userId, RoleBody body) {
        SetRoleRequest request = SetRoleRequest.newBuilder()
                .setGroupId(groupId).addUserIds(userId)
                .setRole(GroupArguments.role(GroupArguments.body(body).role()))
                .build();
        return GroupChange.of(router.call(token(), groups -> groups.setRole(request)));
    }

    @PUT
    @Path("/{groupId}/members/{userId}/muted")
    @Consumes(MediaType.APPLICATION_JSON)
    public GroupChange setMemberMuted(@PathParam("groupId") long groupId, @PathParam("userId") long userId,
            MutedBody body) {
        SetMembersMutedRequest request = SetMembersMutedRequest.newBuilder()
                .setGroupId(groupId).addUserIds(userId)
                .setMuted(GroupArguments.required(GroupArguments.body(body).muted(), "muted"))
                .build();
        return GroupChange.of(router.call(token(), groups -> groups.setMembersMuted(request)));
    }

    /** While muted, only the owner and admins send. */
    @PUT
    @Path("/{groupId}/muted")
    @Consumes(MediaType.APPLICATION_JSON)
    public GroupChange setGroupMuted(@PathParam("groupId") long groupId, MutedBody body) {
        SetGroupMutedRequest request = SetGroupMutedRequest.newBuilder()
                .setGroupId(groupId)
                .setMuted(GroupArguments.required(GroupArguments.body(body).muted(), "muted"))
                .build();
        return GroupChange.of(router.call(token(), groups -> groups.setGroupMuted(request)));
    }

    /** The owner hands the group to another member and becomes an admin. */
    @PUT
    @Path("/{groupId}/owner")
    @Consumes(MediaType.APPLICATION_JSON)
    public GroupChange transfer(@PathParam("groupId") long groupId, OwnerBody body) {
        long newOwnerId = GroupArguments.required(GroupArguments.body(body).userId(), "userId");
        existing(List.of(newOwnerId));
        TransferOwnershipRequest request = TransferOwnershipRequest.newBuilder()
                .setGroupId(groupId).setNewOwnerId(newOwnerId).build();
        return GroupChange.of(router.call(token(), groups -> groups.transferOwnership(request)));
    }

    @PUT
    @Path("/{groupId}/name")
    @Consumes(MediaType.APPLICATION_JSON)
    public GroupChange rename(@PathParam("groupId") long groupId, NameBody body) {
        String name = GroupArguments.body(body).name();
        RenameGroupRequest request = RenameGroupRequest.newBuilder()
                .setGroupId(groupId).setName(name == null ? "" : name).build();
        return GroupChange.of(router.call(token(), groups -> groups.rename(request)));
    }

    /** Nobody sends any more; the members keep reading what was said. */
    @DELETE
    @Path("/{groupId}")
    public GroupChange dissolve(@PathParam("groupId") long groupId) {
        return GroupChange.of(router.call(token(), groups -> groups.dissolve(group(groupId))));
    }

    /** The ids, once each has a profile here: the router knows groups, not users. */
    private List<Long> existing(List<Long> userIds) {
        profiles.firstUnknown(userIds).ifPresent(id -> {
            throw new ProblemException(ProblemCode.UNKNOWN_USER, "no user " + id);
        });
        return userIds;
    }

    private String token() {
        return caller.getRawToken();
    }

    private static GroupRequest group(long groupId) {
        return GroupRequest.newBuilder().setGroupId(groupId).build();
    }
}
