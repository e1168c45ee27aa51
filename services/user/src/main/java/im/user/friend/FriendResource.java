package im.user.friend;

import im.common.access.Permissions;
import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import im.user.profile.Callers;
import im.user.profile.ProfileRules;
import im.user.profile.Profiles;
import im.user.profile.UserView;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/friends")
@PermissionsAllowed(Permissions.FRIEND_MANAGE)
@Produces(MediaType.APPLICATION_JSON)
public class FriendResource {

    private final FriendService friends;
    private final Profiles profiles;
    private final JsonWebToken caller;

    public FriendResource(FriendService friends, Profiles profiles, JsonWebToken caller) {
        this.friends = friends;
        this.profiles = profiles;
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

    @GET
    public List<UserView> list() {
        return friends.friendsOf(Callers.userId(caller));
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
        if (username.isEmpty() || username.length() > ProfileRules.USERNAME_MAX) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT,
                    "toUsername must be 1.." + ProfileRules.USERNAME_MAX + " characters");
        }
        return profiles.findByUsername(username).map(p -> p.userId)
                .orElseThrow(() -> new ProblemException(ProblemCode.UNKNOWN_USER, "no user named " + username));
    }
}
