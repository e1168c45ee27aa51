package im.auth.oidc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Login through outside providers (OAuth2 authorization code with PKCE, the identity read from the
 * provider's user-info endpoint). Gitee is one entry of {@link #providers()}; a provider without a
 * client id is off.
 */
@ConfigMapping(prefix = "im.auth.oidc")
public interface OidcConfig {

    /**
     * Where browsers reach this service; the provider redirects to
     * {@code <redirect-base-url>/auth/oidc/<provider>/callback}, which must be registered with it.
     * The standalone app's own address by default.
     */
    @WithDefault("http://localhost:8080")
    String redirectBaseUrl();

    /**
     * How long a started login waits for the browser and then for the client to collect it. Ten
     * minutes covers a user who has to log in at the provider first; after that the login is gone.
     */
    @WithDefault("10m")
    Duration pendingTtl();

    /** Per call to the provider (token and user-info endpoints); the browser waits on it. */
    @WithDefault("10s")
    Duration providerTimeout();

    Map<String, Provider> providers();

    interface Provider {

        /** Off while empty: the provider then answers 404 like an unknown one. */
        Optional<String> clientId();

        Optional<String> clientSecret();

        String authorizeUrl();

        String tokenUrl();

        String userInfoUrl();

        /**
         * A list of the user's addresses ({@code [{"email","state":"confirmed"}]} as Gitee,
         * or {@code "verified":true}), for providers whose user info does not say whether its
         * email is verified. Without it, user info's email and email-verified fields decide.
         */
        Optional<String> emailsUrl();

        /** Space-separated, as sent in the authorize URL. */
        @WithDefault("openid profile email")
        String scopes();

        /**
         * Refuse users without a verified email address: an account made from an identity with an
         * unverified address would name a person nobody checked. On by default.
         */
        @WithDefault("true")
        boolean requireVerifiedEmail();

        /**
         * Send the provider's access token as an {@code access_token} query parameter instead of an
         * {@code Authorization: Bearer} header, for APIs that document only that (Gitee's v5).
         */
        @WithDefault("false")
        boolean tokenInQuery();

        /** User-info field with the provider's stable id of the user; OIDC's {@code sub}. */
        @WithDefault("sub")
        String subjectField();

        /** User-info field the new account's username is derived from. */
        @WithDefault("preferred_username")
        String loginField();

        @WithDefault("name")
        String nameField();

        @WithDefault("email")
        String emailField();

        @WithDefault("email_verified")
        String emailVerifiedField();
    }
}
