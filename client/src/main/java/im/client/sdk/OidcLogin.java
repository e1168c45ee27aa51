package im.client.sdk;

/**
 * A started login through an outside provider (Gitee): open {@code authorizeUrl} in a browser,
 * then poll with {@code loginId} ({@link ImRestClient#pollOidcLogin}) for at most
 * {@code expiresIn} seconds.
 */
public record OidcLogin(String authorizeUrl, String loginId, long expiresIn) {

    @Override
    public String toString() {
        // The login id collects the tokens: a secret like them.
        return "OidcLogin[authorizeUrl=" + authorizeUrl + ", expiresIn=" + expiresIn + "]";
    }
}
