package im.auth.role;

import im.auth.problem.ProblemCode;
import im.auth.problem.ProblemException;
import im.common.access.Permissions;
import io.quarkus.security.PermissionsAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;

/**
 * Account administration. A role change reaches the user with its next access token (login or
 * refresh); tokens already issued keep the roles they carry until they expire.
 */
@Path("/auth/admin")
@Produces(MediaType.APPLICATION_JSON)
public class RoleAdminResource {

    private static final int MAX_LIMIT = 100;

    private final Roles roles;

    public RoleAdminResource(Roles roles) {
        this.roles = roles;
    }

    /** Accounts in user-id order, after {@code after}; {@code next} is the {@code after} of the next page. */
    @GET
    @Path("/users")
    @PermissionsAllowed(Permissions.ADMIN_USERS_READ)
    public AccountPage users(@QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "limit must be 1.." + MAX_LIMIT);
        }
        List<AccountRoles> users = roles.page(after, limit);
        Long next = users.size() < limit ? null : users.get(users.size() - 1).userId();
        return new AccountPage(users, next);
    }

    @PUT
    @Path("/users/{id}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed(Permissions.ADMIN_ROLES_WRITE)
    public RolesBody setRoles(@PathParam("id") long userId, RolesBody body) {
        if (body == null || body.roles() == null) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, "roles required");
        }
        Set<String> wanted = Set.copyOf(body.roles());
        boolean found;
        try {
            found = roles.replace(userId, wanted);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT, e.getMessage());
        }
        if (!found) {
            throw new ProblemException(ProblemCode.NOT_FOUND, "no account " + userId);
        }
        return new RolesBody(wanted.stream().sorted().toList());
    }

    /** One page of the listing. */
    public record AccountPage(List<AccountRoles> users, Long next) {
    }

    /** The roles an account has: the body of PUT .../roles and its answer. */
    public record RolesBody(List<String> roles) {
    }
}
