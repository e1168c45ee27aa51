package im.user.profile;

/** A request to create the profile of a new account. */
public record CreateProfile(long userId, String username, String displayName) {
}
