package im.user.profile;

import im.common.access.Permissions;
import im.common.profile.DisplayNames;
import im.common.profile.Usernames;
import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/users")
@PermissionsAllowed(Permissions.PROFILE_READ)
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    /** Shortest prefix a search takes: one character would match a large share of all users. */
    static final int SEARCH_PREFIX_MIN = 2;

    private final Profiles profiles;
    private final SearchConfig search;
    private final JsonWebToken caller;

    public UserResource(Profiles profiles, SearchConfig search, JsonWebToken caller) {
        this.profiles = profiles;
        this.search = search;
        this.caller = caller;
    }

    /**
     * Users whose username starts with {@code prefix} (2..32 of the username characters), in
     * username order; {@code limit} (default 20) is cut to 50.
     */
    @GET
    @Path("/search")
    public List<UserView> search(@QueryParam("prefix") String prefix, @QueryParam("limit") Integer limit) {
        if (!Usernames.isPrefix(prefix, SEARCH_PREFIX_MIN)) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "prefix must be " + SEARCH_PREFIX_MIN
                    + ".." + Usernames.MAX + " of " + Usernames.CHARACTERS);
        }
        if (limit != null && limit < 1) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "limit must be at least 1");
        }
        int rows = Math.min(limit == null ? search.defaultLimit() : limit, search.maxLimit());
        return profiles.searchByUsernamePrefix(prefix, rows).stream().map(UserView::of).toList();
    }

    @GET
    @Path("/me")
    public UserView me() {
        return byId(Callers.userId(caller));
    }

    /**
     * Changes the caller's display name: {@code {"displayName"}}, stripped of surrounding white
     * space, then 1..64 characters without control or format characters
     * ({@link DisplayNames#fault}); 400 {@code INVALID_ARGUMENT} otherwise. Answers the
     * caller's profile as others now see it. The path names no user: a caller changes its own
     * profile only. The avatar is set where its image is kept: {@code PUT /media/avatar}.
     */
    @PUT
    @Path("/me/profile")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserView changeProfile(ProfileBody body) {
        long userId = Callers.userId(caller);
        String displayName = body == null || body.displayName() == null ? null : body.displayName().strip();
        String fault = DisplayNames.fault(displayName);
        if (fault != null) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, fault);
        }
        return profiles.changeDisplayName(userId, displayName).map(UserView::of)
                .orElseThrow(() -> new ProblemException(ProblemCode.UNKNOWN_USER, "no user " + userId));
    }

    /** Removes the caller's avatar (its image stays in the blob store, unnamed); answers the profile. */
    @DELETE
    @Path("/me/avatar")
    public UserView removeAvatar() {
        long userId = Callers.userId(caller);
        return profiles.changeAvatar(userId, null, null).map(UserView::of)
                .orElseThrow(() -> new ProblemException(ProblemCode.UNKNOWN_USER, "no user " + userId));
    }

    @GET
    @Path("/{id}")
    public UserView byId(@PathParam("id") long userId) {
        return profiles.find(userId).map(UserView::of)
                .orElseThrow(() -> new ProblemException(ProblemCode.UNKNOWN_USER, "no user " + userId));
    }

    @GET
    public UserView byUsername(@QueryParam("username") String username) {
        if (username == null || username.isEmpty() || username.length() > Usernames.MAX) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "username must be 1.." + Usernames.MAX + " characters");
        }
        return profiles.findByUsername(username).map(UserView::of)
                .orElseThrow(() -> new ProblemException(ProblemCode.UNKNOWN_USER, "no user named " + username));
    }
}
