package im.common.access;

import java.util.Set;

/**
 * Every permission a role can grant, named once for every service: the REST resources name them
 * in {@code @PermissionsAllowed}, the gRPC services and the push edge check the same strings, and
 * auth's {@code role_permission} rows hold them. Access tokens carry the caller's permissions in the
 * {@link #CLAIM} claim, so no service asks auth which role may do what.
 */
public final class Permissions {

    /** The access-token claim that lists the caller's permissions (a JSON array of strings). */
    public static final String CLAIM = "perms";

    /** Send messages (Router.Send, the push edge's Send). */
    public static final String MESSAGE_SEND = "message:send";
    /** Open a session and read one's conversations: sync, acks, read marks, receipts. */
    public static final String MESSAGE_READ = "message:read";
    /** Ask for, accept and list friends. */
    public static final String FRIEND_MANAGE = "friend:manage";
    /** Create, join and run groups. */
    public static final String GROUP_USE = "group:use";
    /** Read one's own profile and other users'. */
    public static final String PROFILE_READ = "profile:read";
    /** List accounts and their roles. */
    public static final String ADMIN_USERS_READ = "admin.users:read";
    /** Change which roles an account has. */
    public static final String ADMIN_ROLES_WRITE = "admin.roles:write";
    /** Ban and unban accounts. */
    public static final String ADMIN_USERS_BAN = "admin.users:ban";

    /** What auth's migration grants the {@code user} role: what every account may do. */
    public static final Set<String> EVERYDAY = Set.of(MESSAGE_SEND, MESSAGE_READ, FRIEND_MANAGE, GROUP_USE,
            PROFILE_READ);

    /** What auth's migration grants the {@code admin} role. */
    public static final Set<String> ALL = Set.of(MESSAGE_SEND, MESSAGE_READ, FRIEND_MANAGE, GROUP_USE,
            PROFILE_READ, ADMIN_USERS_READ, ADMIN_ROLES_WRITE, ADMIN_USERS_BAN);

    private Permissions() {
    }
}
