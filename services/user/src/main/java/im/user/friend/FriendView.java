package im.user.friend;

import im.user.profile.UserProfile;

/** A friend as the caller's friend list shows it: the public profile and the caller's own remark. */
public record FriendView(long userId, String username, String displayName, String remark) {

    static FriendView of(UserProfile profile, String remark) {
        return new FriendView(profile.userId, profile.username, profile.displayName, remark);
    }
}
