package im.client.sdk;

/** A user the caller blocked, and since when (epoch milliseconds). */
public record BlockedUser(long userId, String username, String displayName, long blockedAtMs) {
}
