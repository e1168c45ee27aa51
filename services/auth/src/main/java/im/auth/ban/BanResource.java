package im.auth.ban;

import im.common.access.Permissions;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Ban and unban an account (204 each; 404 {@code NOT_FOUND} for an unknown account). */
@Path("/auth/admin/users/{id}/ban")
public class BanResource {

    private final Bans bans;

    public BanResource(Bans bans) {
        this.bans = bans;
    }

    @POST
    @PermissionsAllowed(Permissions.ADMIN_USERS_BAN)
    public void ban(@PathParam("id") long userId) {
        bans.ban(userId);
    }

    @DELETE
    @PermissionsAllowed(Permissions.ADMIN_USERS_BAN)
    public void unban(@PathParam("id") long userId) {
        bans.unban(userId);
    }
}
