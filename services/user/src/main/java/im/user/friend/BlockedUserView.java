package im.user.friend;

import im.user.profile.UserProfile;

/** A user the caller blocked, and since when (epoch milliseconds). */
public record BlockedUserView(long userId, String username, String displayName, long blockedAtMs) {

    static BlockedUserView of(UserProfile profile, UserBlock block) {
        return new BlockedUserView(profile.userId, profile.username, profile.displayName, block.createdAt);
    }
}
