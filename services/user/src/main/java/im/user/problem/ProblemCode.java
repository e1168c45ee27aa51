package im.user.problem;

/** Why a REST call of this service failed; the {@code code} member of a problem body. */
public enum ProblemCode {
    INVALID_ARGUMENT(400, "Invalid request"),
    /**
     * A backend refused the caller's token. The REST layer's own 401 (no token, or one that failed
     * authentication) has the same code, from im.common.problem.RequestProblem.
     */
    UNAUTHENTICATED(401, "Unauthenticated"),
    /** The caller's role in a group does not allow the change. */
    PERMISSION_DENIED(403, "Permission denied"),
    UNKNOWN_USER(404, "Unknown user"),
    UNKNOWN_FRIEND_REQUEST(404, "Unknown friend request"),
    /** The other user is not the caller's friend (a remark for a stranger). */
    NOT_FRIENDS(404, "Not friends"),
    /** No such group, or the caller is not in it: the router answers both alike. */
    UNKNOWN_GROUP(404, "Unknown group"),
    /**
     * The addressee takes no friend requests: it turned them off, or it blocked the caller. Both
     * answer the same detail, so the caller cannot tell a block from the setting.
     */
    FRIEND_REQUESTS_REFUSED(403, "Friend requests refused"),
    ALREADY_FRIENDS(409, "Already friends"),
    /** The caller blocked that user; it unblocks first to ask it to be friends. */
    USER_BLOCKED(409, "User blocked"),
    /** A backend failed unexpectedly. */
    INTERNAL(500, "Internal error"),
    /** A backend is down or did not answer in time; a change may or may not have been made. */
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
