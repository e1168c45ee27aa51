package im.auth.token;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The keys that sign access tokens. On the first start of the first pod an Ed25519 key is made
 * and stored; every pod then signs with the one active key and publishes all stored public keys
 * as the JWKS. Keys are loaded once at startup: signing needs no database round trip.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    /** Keys published in the JWKS; rotation would retire one key at a time, so a few suffice. */
    private static final int PUBLISHED_KEYS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The active key as used for signing. */
    public record ActiveKey(String kid, PrivateKey privateKey) {
    }

    private final SigningKeyRepository keys;
    private volatile ActiveKey active;
    private volatile String jwks;

    public SigningKeys(SigningKeyRepository keys) {
        this.keys = keys;
    }

    void onStart(@Observes StartupEvent start) {
        load();
    }

    public ActiveKey active() {
        return active;
    }

    /** The public keys as a JSON Web Key Set. */
    public String jwks() {
        return jwks;
    }

    /** (Re)reads the keys, installing a new active key first if there is none. */
    public void load() {
        SigningKey current = QuarkusTransaction.requiringNew().call(() -> keys.findActive().orElse(null));
        if (current == null) {
            // A fresh transaction whose first statement is the insert: the reread below then sees
            // the key a concurrently starting pod committed, whichever of the two inserts won.
            SigningKey candidate = generate();
            current = QuarkusTransaction.requiringNew().call(() -> {
                keys.insertActiveIfAbsent(candidate);
                return keys.findActive().orElseThrow(() -> new IllegalStateException("no active signing key"));
            });
            if (current.kid.equals(candidate.kid)) {
                LOG.infof("generated signing key %s", current.kid);
            }
        }
        List<SigningKey> published = QuarkusTransaction.requiringNew().call(() -> keys.listNewestFirst(PUBLISHED_KEYS));
        this.active = new ActiveKey(current.kid, privateKey(current.privateKey));
        this.jwks = toJwks(published);
    }

    private static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] kid = new byte[12];
            RANDOM.nextBytes(kid);
            SigningKey key = new SigningKey();
            key.kid = Base64.getUrlEncoder().withoutPadding().encodeToString(kid);
            key.publicKey = pair.getPublic().getEncoded();
            key.privateKey = pair.getPrivate().getEncoded();
            key.createdAt = System.currentTimeMillis();
            key.active = Boolean.TRUE;
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    private static String toJwks(List<SigningKey> stored) {
        try {
            List<JsonWebKey> jwks = new ArrayList<>();
            for (SigningKey key : stored) {
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(publicKey(key.publicKey));
                jwk.setKeyId(key.kid);
                jwk.setAlgorithm("EdDSA");
                jwk.setUse("sig");
                jwks.add(jwk);
            }
            return new JsonWebKeySet(jwks).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot publish signing keys", e);
        }
    }

    private static PublicKey publicKey(byte[] x509) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored public key is not Ed25519", e);
        }
    }

    private static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored private key is not Ed25519", e);
        }
    }
}
