package im.common.testing;

import im.common.access.Permissions;
import im.common.token.AccessTokenVerifier;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Real access tokens for services tested without auth: an Ed25519 key made for this JVM, its
 * JWKS for the service under test ({@link TestTokensResource}) and tokens signed with it, in the
 * same shape auth issues.
 */
public final class TestTokens {

    public static final String ISSUER = "im-auth";
    private static final String KEY_ID = "test-key";
    private static final KeyPair KEYS = generate();
    private static final KeyPair FOREIGN_KEYS = generate();

    private TestTokens() {
    }

    public static String issue(long userId, String username) {
        return issue(userId, username, Duration.ofMinutes(15));
    }

    public static String issue(long userId, String username, Duration ttl) {
        return sign(userId, username, ttl, KEYS);
    }

    /**
     * A token of one login, as auth issues them: its {@code sid} claim names the session, and it
     * grants every permission.
     */
    public static String issueForSession(long userId, String username, String sessionId) {
        return Jwt.issuer(ISSUER).subject(Long.toString(userId)).upn(username).groups(Set.of("user"))
                .claim(Permissions.CLAIM, List.copyOf(Permissions.ALL))
                .claim(AccessTokenVerifier.SESSION_ID_CLAIM, sessionId).expiresIn(Duration.ofMinutes(15))
                .jws().keyId(KEY_ID).algorithm(SignatureAlgorithm.EDDSA).sign(KEYS.getPrivate());
    }

    /** A well-formed token signed by a key the services do not trust. */
    public static String issueWithForeignKey(long userId, String username) {
        return sign(userId, username, Duration.ofMinutes(15), FOREIGN_KEYS);
    }

    public static String expired(long userId, String username) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(ISSUER).subject(Long.toString(userId)).upn(username).groups(Set.of("user"))
                .issuedAt(now - 3600).expiresAt(now - 1800)
                .jws().keyId(KEY_ID).algorithm(SignatureAlgorithm.EDDSA).sign(KEYS.getPrivate());
    }

    /** The key that verifies {@link #issue} tokens. */
    public static java.security.PublicKey publicKey() {
        return KEYS.getPublic();
    }

    /** The JWKS that verifies {@link #issue} tokens. */
    public static String jwks() {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(KEYS.getPublic());
            jwk.setKeyId(KEY_ID);
            jwk.setAlgorithm("EdDSA");
            jwk.setUse("sig");
            return new JsonWebKeySet(jwk).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with exactly these roles and permissions, as auth issues it for such an account. */
    public static String issueGranting(long userId, String username, Set<String> roles, Set<String> permissions) {
        return Jwt.issuer(ISSUER).subject(Long.toString(userId)).upn(username).groups(roles)
                .claim(Permissions.CLAIM, List.copyOf(permissions)).expiresIn(Duration.ofMinutes(15))
                .jws().keyId(KEY_ID).algorithm(SignatureAlgorithm.EDDSA).sign(KEYS.getPrivate());
    }

    /** An everyday user's token: the permissions auth grants the user role. */
    private static String sign(long userId, String username, Duration ttl, KeyPair keys) {
        return Jwt.issuer(ISSUER).subject(Long.toString(userId)).upn(username).groups(Set.of("user"))
                .claim(Permissions.CLAIM, List.copyOf(Permissions.EVERYDAY))
                .expiresIn(ttl)
                .jws().keyId(KEY_ID).algorithm(SignatureAlgorithm.EDDSA).sign(keys.getPrivate());
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
