package im.auth.token;

/** Body of {@code POST /auth/refresh} and {@code POST /auth/logout}. */
public record RefreshRequest(String refreshToken) {
}
