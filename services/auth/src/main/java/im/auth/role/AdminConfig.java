package im.auth.role;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;
import java.util.Set;

/** Who administers a fresh deployment, before any admin exists to grant the role through the API. */
@ConfigMapping(prefix = "im.auth.roles")
public interface AdminConfig {

    /**
     * Usernames ({@code im.auth.roles.admins=alice,bob}) that get the admin role when they register or
     * log in. Empty by default: no account is an admin unless an operator names it; once one is,
     * it grants the role to others with PUT /auth/admin/users/{id}/roles.
     */
    Optional<Set<String>> admins();
}
