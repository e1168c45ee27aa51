package im.auth.oidc;

/**
 * Answer of a start: the URL to open in a browser, and the id to poll with. The login id is a
 * secret (whoever holds it collects the tokens): it never travels through the browser.
 */
public record StartedLogin(String authorizeUrl, String loginId, long expiresIn) {
}
