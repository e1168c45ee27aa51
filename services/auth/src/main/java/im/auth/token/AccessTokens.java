package im.auth.token;

import im.auth.role.Grants;
import im.auth.role.Roles;
import im.common.access.Permissions;
import im.common.token.AccessTokenVerifier;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Signs access tokens in the shape every service verifies (docs/architecture.md, Tokens). */
@ApplicationScoped
public class AccessTokens {

    public static final String ISSUER = "im-auth";

    private final SigningKeys keys;
    private final TokenConfig config;
    private final Roles roles;

    public AccessTokens(SigningKeys keys, TokenConfig config, Roles roles) {
        this.keys = keys;
        this.config = config;
        this.roles = roles;
    }

    /**
     * The token carries the roles the account has now and their permissions: a change of roles
     * reaches the user with the next token (login or refresh), not the tokens already issued.
     * {@code sid} names the login (its refresh-token family, the same across refreshes) and
     * {@code iat} when the token was made: what a revocation refuses by
     * ({@link im.common.revocation.Revocation}).
     */
    public String issue(long userId, String username, String sessionId) {
        SigningKeys.ActiveKey key = keys.active();
        Grants grants = roles.grantsOf(userId, username);
        return Jwt.issuer(ISSUER)
                .subject(Long.toString(userId))
                .upn(username)
                .groups(grants.roles())
                .claim(Permissions.CLAIM, List.copyOf(grants.permissions()))
                .claim(AccessTokenVerifier.SESSION_ID_CLAIM, sessionId)
                .issuedAt(Instant.now().getEpochSecond())
                .expiresIn(config.accessTtl())
                .jws().keyId(key.kid()).algorithm(SignatureAlgorithm.EDDSA)
                .sign(key.privateKey());
    }

    public long ttlSeconds() {
        return config.accessTtl().toSeconds();
    }

    /**
     * When the last access token issued up to {@code moment} expires: how long a revocation made
     * then must be kept (a second more, since token times are whole seconds).
     */
    public Instant lastExpiryOfTokensIssuedBy(Instant moment) {
        return moment.plus(config.accessTtl()).plusSeconds(1);
    }
}
