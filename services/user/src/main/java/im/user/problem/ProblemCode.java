package im.user.problem;

/** Why a REST call of this service failed; the {@code code} member of a problem body. */
public enum ProblemCode {
    INVALID_ARGUMENT(400, "Invalid request"),
    UNKNOWN_USER(404, "Unknown user"),
    UNKNOWN_FRIEND_REQUEST(404, "Unknown friend request"),
    ALREADY_FRIENDS(409, "Already friends");

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
