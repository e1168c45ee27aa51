package im.auth.oidc;

/** Links the login's outside identity to an existing account, proven by its password. */
public record LinkRequest(String loginId, String username, String password) {
}
