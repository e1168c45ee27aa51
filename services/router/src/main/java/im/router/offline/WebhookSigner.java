package im.router.offline;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook request: {@code X-IM-Signature: sha256=<hex>}, the HMAC-SHA256 with the shared
 * secret of {@code <X-IM-Timestamp> + "." + <body>}. The timestamp (epoch seconds) is inside the
 * signed text so a receiver can refuse a replay of an old request; the body is signed as sent,
 * byte for byte, so the receiver must verify before parsing it.
 */
public final class WebhookSigner {

    static final int MIN_SECRET_LENGTH = 32;
    public static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /**
     * @throws IllegalArgumentException when the secret is shorter than 32 characters (the message
     *         does not contain the secret)
     */
    public WebhookSigner(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The {@code X-IM-Signature} value for a body sent at {@code epochSeconds}. */
    public String sign(long epochSeconds, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(epochSeconds, body));
    }

    /**
     * What a receiver does (shown here in Java, and used by the tests): recompute and compare in
     * constant time. The caller also refuses timestamps too far from its clock (five minutes).
     */
    public boolean verifies(long epochSeconds, byte[] body, String signature) {
        byte[] expected = sign(epochSeconds, body).getBytes(StandardCharsets.US_ASCII);
        return signature != null && MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] mac(long epochSeconds, byte[] body) {
        try {
            // A Mac holds state between calls; one per signature keeps the signer shareable.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
