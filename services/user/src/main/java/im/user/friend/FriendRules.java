package im.user.friend;

import im.user.problem.ProblemCode;
import im.user.problem.ProblemException;

/** The shape of what users write about their friends. */
final class FriendRules {

    /** As long as a display name: a remark is the name a user shows for a friend. */
    static final int REMARK_MAX = 64;

    private FriendRules() {
    }

    /** The remark to store: null clears it (so does an empty one); a blank or too long one is refused. */
    static String remark(String remark) {
        if (remark == null || remark.isEmpty()) {
            return null;
        }
        if (remark.isBlank() || remark.length() > REMARK_MAX) {
            throw new ProblemException(ProblemCode.INVALID_ARGUMENT,
                    "remark must be 1.." + REMARK_MAX + " characters, not only spaces (empty clears it)");
        }
        return remark;
    }
}
