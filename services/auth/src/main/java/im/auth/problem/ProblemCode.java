package im.auth.problem;

/** Why a REST call of auth failed; the {@code code} member of a problem body. */
public enum ProblemCode {
    INVALID_ARGUMENT(400, "Invalid request"),
    /** Wrong username or password, or an unknown, expired, reused or revoked refresh token. */
    UNAUTHENTICATED(401, "Not authenticated"),
    USERNAME_TAKEN(409, "Username taken"),
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
