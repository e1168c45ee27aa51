package im.client.sdk;

/**
 * One poll of a login through an outside provider: {@code tokens} once it is done; otherwise
 * {@code status} is {@code PENDING} (the browser has not come back yet) or {@code LINK_REQUIRED}:
 * an account named {@code linkUsername} exists, and {@link ImRestClient#linkOidcLogin} with its
 * password joins the two. A failed login throws {@link ImApiException} instead, with a code such as
 * {@code OIDC_DENIED}, {@code OIDC_STATE_MISMATCH}, {@code OIDC_EMAIL_UNVERIFIED},
 * {@code OIDC_PROVIDER_ERROR} or {@code OIDC_LOGIN_EXPIRED}.
 */
public record OidcLoginPoll(Tokens tokens, String status, String linkUsername) {

    public boolean done() {
        return tokens != null;
    }

    public boolean linkRequired() {
        return "LINK_REQUIRED".equals(status);
    }
}
