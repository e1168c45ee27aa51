package im.client.sdk;

/** Answer of {@code POST /auth/register}. */
public record RegisteredUser(long userId, String username, String displayName) {
}
