package im.auth.token;

/** What login and refresh answer. */
public record Tokens(long userId, String username, String accessToken, String refreshToken, String tokenType,
        long expiresIn) {

    public static Tokens bearer(long userId, String username, String accessToken, String refreshToken,
            long expiresIn) {
        return new Tokens(userId, username, accessToken, refreshToken, "Bearer", expiresIn);
    }
}
