package im.auth.role;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Role storage; the transaction boundary of the role feature. */
@ApplicationScoped
public class Roles {

    private final RoleRepository roles;
    private final AdminConfig config;

    public Roles(RoleRepository roles, AdminConfig config) {
        this.roles = roles;
        this.config = config;
    }

    /**
     * What the account's next access token carries. An account {@code im.auth.roles.admins} names gets
     * admin here first, so a name added to the config takes effect at its next login or refresh.
     */
    @Transactional
    public Grants grantsOf(long userId, String username) {
        Grants grants = roles.grantsOf(userId);
        if (!grants.roles().contains(RoleNames.ADMIN) && isConfiguredAdmin(username)) {
            roles.grant(userId, RoleNames.ADMIN);
            grants = roles.grantsOf(userId);
        }
        return grants;
    }

    /**
     * The roles of a new account: user, and admin when {@code im.auth.roles.admins} names it. Joins the
     * caller's transaction, so an account never exists without its roles.
     */
    @Transactional
    public void grantInitial(long userId, String username) {
        roles.grant(userId, RoleNames.USER);
        if (isConfiguredAdmin(username)) {
            roles.grant(userId, RoleNames.ADMIN);
        }
    }

    private boolean isConfiguredAdmin(String username) {
        if (username == null) {
            return false;
        }
        String name = username.toLowerCase(Locale.ROOT);
        return config.admins().map(admins -> admins.stream().anyMatch(a -> a.strip().toLowerCase(Locale.ROOT)
                .equals(name))).orElse(false);
    }

    @Transactional
    public List<AccountRoles> page(long afterUserId, int limit) {
        return roles.page(afterUserId, limit);
    }

    /**
     * Replaces the account's roles. False when there is no such account.
     *
     * @throws IllegalArgumentException naming a role that does not exist
     */
    @Transactional
    public boolean replace(long userId, Set<String> newRoles) {
        Set<String> known = roles.roleNames();
        for (String role : newRoles) {
            if (!known.contains(role)) {
                throw new IllegalArgumentException("unknown role " + role + "; roles are " + known);
            }
        }
        if (!roles.accountExists(userId)) {
            return false;
        }
        roles.revokeAll(userId);
        for (String role : newRoles) {
            roles.grant(userId, role);
        }
        return true;
    }
}
