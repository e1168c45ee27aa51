package im.auth.token;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Signs access tokens in the shape every service verifies (docs/architecture.md, Tokens). */
@ApplicationScoped
public class AccessTokens {

    public static final String ISSUER = "im-auth";
    private static final Set<String> USER_GROUPS = Set.of("user");

    private final SigningKeys keys;
    private final TokenConfig config;

    public AccessTokens(SigningKeys keys, TokenConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public String issue(long userId, String username) {
        SigningKeys.ActiveKey key = keys.active();
        return Jwt.issuer(ISSUER)
                .subject(Long.toString(userId))
                .upn(username)
                .groups(USER_GROUPS)
                .expiresIn(config.accessTtl())
                .jws().keyId(key.kid()).algorithm(SignatureAlgorithm.EDDSA)
                .sign(key.privateKey());
    }

    public long ttlSeconds() {
        return config.accessTtl().toSeconds();
    }
}
