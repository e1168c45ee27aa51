package im.auth.account;

/** Body of {@code POST /auth/login}. */
public record LoginRequest(String username, String password) {
}
