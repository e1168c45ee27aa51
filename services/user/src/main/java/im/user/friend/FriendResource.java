package im.user.friend;

import im.common.access.Permissions;
import im.common.friendship.FriendshipEndings;
import im.common.friendship.FriendshipEndingsUnavailableException;
import im.common.profile.Usernames;
import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import im.user.profile.Callers;
import im.user.profile.Profiles;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

@Path("/friends")
@PermissionsAllowed(Permissions.FRIEND_MANAGE)
@Produces(MediaType.APPLICATION_JSON)
public class FriendResource {

    private static final Logger LOG = Logger.getLogger(FriendResource.class);

    private final FriendService friends;
    private final Profiles profiles;
    private final FriendshipEndings endings;
    private final JsonWebToken caller;

    public FriendResource(FriendService friends, Profiles profiles, FriendshipEndings endings, JsonWebToken caller) {
        this.friends = friends;
        this.profiles = profiles;
        this.endings = endings;
        this.caller = caller;
    }

    @POST
    @Path("/requests")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response send(SendFriendRequest body) {
        long toUserId = addressee(body);
        FriendRequestView request = friends.send(Callers.userId(caller), toUserId);
        return Response.status(Response.Status.CREATED).entity(request).build();
    }

    @GET
    @Path("/requests")
    public List<PendingRequestView> pending() {
        return friends.pendingTo(Callers.userId(caller));
    }

    @POST
    @Path("/requests/{id}/accept")
    public FriendRequestView accept(@PathParam("id") long requestId) {
        return friends.accept(Callers.userId(caller), requestId);
    }

    @POST
    @Path("/requests/{id}/reject")
    public FriendRequestView reject(@PathParam("id") long requestId) {
        return friends.reject(Callers.userId(caller), requestId);
    }

    @GET
    public List<FriendView> list() {
        return friends.friendsOf(Callers.userId(caller));
    }

    @DELETE
    @Path("/{userId}")
    public Response remove(@PathParam("userId") long userId) {
        long callerId = Callers.userId(caller);
        friends.remove(callerId, userId);
        tellRouters(callerId, userId);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{userId}/remark")
    @Consumes(MediaType.APPLICATION_JSON)
    public FriendView remark(@PathParam("userId") long userId, RemarkBody body) {
        return friends.setRemark(Callers.userId(caller), userId, body == null ? null : body.remark());
    }

    @GET
    @Path("/blocks")
    public List<BlockedUserView> blocks() {
        return friends.blockedBy(Callers.userId(caller));
    }

    @PUT
    @Path("/blocks/{userId}")
    public BlockedUserView block(@PathParam("userId") long userId) {
        long callerId = Callers.userId(caller);
        BlockedUserView blocked = friends.block(callerId, userId);
        tellRouters(callerId, userId);
        return blocked;
    }

    @DELETE
    @Path("/blocks/{userId}")
    public Response unblock(@PathParam("userId") long userId) {
        friends.unblock(Callers.userId(caller), userId);
        return Response.noContent().build();
    }

    @GET
    @Path("/settings")
    public FriendSettings settings() {
        return friends.settings(Callers.userId(caller));
    }

    @PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    public FriendSettings changeSettings(FriendSettings body) {
        return friends.changeSettings(Callers.userId(caller), body);
    }

    /**
     * After the commit that ended the pair's friendship: routers that remember the pair as allowed
     * forget it now, not at their next background check. Sent whether or not a friendship ended,
     * so a call repeated after a 503 sends the notice the first one could not.
     */
    private void tellRouters(long callerId, long userId) {
        try {
            endings.publish(callerId, userId);
        } catch (FriendshipEndingsUnavailableException e) {
            LOG.warnf("friendship of %d and %d ended, routers not told: %s", callerId, userId, e.getMessage());
            throw new ProblemException(ProblemCode.UNAVAILABLE,
                    "done, but the routers could not be told at once and may pass messages between you for a"
                            + " while: repeat the call");
        }
    }

    /** The addressee's id; a username is resolved first, in its own short transaction. */
    private long addressee(SendFriendRequest body) {
        if (body == null || (body.toUserId() == null && body.toUsername() == null)) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "toUserId or toUsername is required");
        }
        if (body.toUserId() != null) {
            return body.toUserId();
        }
        String username = body.toUsername();
        if (username.isEmpty() || username.length() > Usernames.MAX) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT,
                    "toUsername must be 1.." + Usernames.MAX + " characters");
        }
        return profiles.findByUsername(username).map(p -> p.userId)
                .orElseThrow(() -> new ProblemException(ProblemCode.UNKNOWN_USER, "no user named " + username));
    }
}
