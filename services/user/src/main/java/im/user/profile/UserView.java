package im.user.profile;

/** A public profile as REST answers it. */
public record UserView(long userId, String username, String displayName) {

    public static UserView of(UserProfile profile) {
        return new UserView(profile.userId, profile.username, profile.displayName);
    }
}
