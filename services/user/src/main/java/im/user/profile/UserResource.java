package im.user.profile;

import im.common.access.Permissions;
import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/users")
@PermissionsAllowed(Permissions.PROFILE_READ)
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private final Profiles profiles;
    private final JsonWebToken caller;

    public UserResource(Profiles profiles, JsonWebToken caller) {
        this.profiles = profiles;
        this.caller = caller;
    }

    @GET
    @Path("/me")
    public UserView me() {
        return byId(Callers.userId(caller));
    }

    @GET
    @Path("/{id}")
    public UserView byId(@PathParam("id") long userId) {
        return profiles.find(userId).map(UserView::of)
                .orElseThrow(() -> new ProblemException(ProblemCode.UNKNOWN_USER, "no user " + userId));
    }

    @GET
    public UserView byUsername(@QueryParam("username") String username) {
        if (username == null || username.isEmpty() || username.length() > ProfileRules.USERNAME_MAX) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "username must be 1.." + ProfileRules.USERNAME_MAX + " characters");
        }
        return profiles.findByUsername(username).map(UserView::of)
                .orElseThrow(() -> new ProblemException(ProblemCode.UNKNOWN_USER, "no user named " + username));
    }
}
