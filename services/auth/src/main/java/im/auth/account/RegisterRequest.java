package im.auth.account;

/** Body of {@code POST /auth/register}; displayName defaults to the username. */
public record RegisterRequest(String username, String password, String displayName) {
}
