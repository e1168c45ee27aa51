package im.client.sdk;

/** A user's public profile. */
public record UserView(long userId, String username, String displayName) {
}
