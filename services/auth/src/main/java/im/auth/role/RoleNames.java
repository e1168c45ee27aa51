package im.auth.role;

/** The roles the auth migration seeds; an operator may add more rows to role and role_permission. */
public final class RoleNames {

    /** Every account gets it at registration. */
    public static final String USER = "user";
    public static final String ADMIN = "admin";

    private RoleNames() {
    }
}
