package im.auth.problem;

/** Why a REST call of auth failed; the {@code code} member of a problem body. */
public enum ProblemCode {
    INVALID_ARGUMENT(400, "Invalid request"),
    /** Wrong username or password, or an unknown, expired, reused or revoked refresh token. */
    UNAUTHENTICATED(401, "Not authenticated"),
    /** The account (or other thing) the path names does not exist. */
    NOT_FOUND(404, "Not found"),
    /**
     * The account is banned: login and refresh are refused until an admin unbans it. Its sessions
     * were ended when it was banned.
     */
    ACCOUNT_BANNED(403, "Account banned"),
    USERNAME_TAKEN(409, "Username taken"),
    /** Login through a provider: the provider is not configured here (or has no client id). */
    OIDC_PROVIDER_UNKNOWN(404, "Unknown login provider"),
    /** Login through a provider: the login id is unknown, expired, or its answer already collected. */
    OIDC_LOGIN_EXPIRED(410, "Login expired"),
    /** Login through a provider: the callback's state is not the one the login was started with. */
    OIDC_STATE_MISMATCH(400, "State mismatch"),
    /** Login through a provider: the user refused consent at the provider. */
    OIDC_DENIED(403, "Login denied at the provider"),
    /** Login through a provider: the provider account has no verified email address. */
    OIDC_EMAIL_UNVERIFIED(403, "Email not verified"),
    /** Login through a provider: its token or user-info endpoint refused or failed. */
    OIDC_PROVIDER_ERROR(502, "Login provider failed"),
    /**
     * Too many logins or registrations (of the account, or from the client's address) in the
     * current window; the answer's {@code Retry-After} says in how many seconds it ends.
     */
    RATE_LIMITED(429, "Too many attempts"),
    /** A backend (leaf, user directory) did not answer; retrying later is safe. */
    UNAVAILABLE(503, "Service unavailable");

    private final int status;
    private final String title;

    ProblemCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
