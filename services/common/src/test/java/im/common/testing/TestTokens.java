package im.common.testing;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
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

    private static String sign(long userId, String username, Duration ttl, KeyPair keys) {
        return Jwt.issuer(ISSUER).subject(Long.toString(userId)).upn(username).groups(Set.of("user"))
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
