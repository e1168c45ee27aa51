package im.router.media;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Blob ids: 32 random bytes, base64url without padding (43 characters). Unguessable, so an id says
 * nothing about other blobs and cannot be found by counting; within the proto's rule for an
 * attachment's id (1..128 of {@code [A-Za-z0-9._-]}) and without dots, so an id is always a plain
 * file name and an object key without surprises.
 */
public final class BlobIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern OWN = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private BlobIds() {
    }

    public static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** True for an id of the form this router makes (any length up to 128). */
    public static boolean isWellFormed(String blobId) {
        return blobId != null && OWN.matcher(blobId).matches();
    }

    static String require(String blobId) {
        if (!isWellFormed(blobId)) {
            throw new IllegalArgumentException("blob ids are 1..128 of [A-Za-z0-9_-]");
        }
        return blobId;
    }
}
