package im.auth.account;

/** Answer of a successful registration. */
public record RegisteredAccount(long userId, String username, String displayName) {
}
