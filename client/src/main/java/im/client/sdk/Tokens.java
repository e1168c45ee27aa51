package im.client.sdk;

/** Answer of login and refresh: a short-lived access token and the refresh token that renews it. */
public record Tokens(long userId, String username, String accessToken, String refreshToken, long expiresIn) {

    @Override
    public String toString() {
        // Tokens are secrets: never printed whole by accident.
        return "Tokens[userId=" + userId + ", username=" + username + ", expiresIn=" + expiresIn + "]";
    }
}
