package im.protocol.client;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Blob ids: 32 random bytes, base64url without padding (43 characters), made by the router that
 * stores the blob. Unguessable, so an id says nothing about other blobs and cannot be found by
 * counting; no dots, so an id is always a plain file name and an object key without surprises.
 * Every service that accepts an id from outside (an attachment of a message, an avatar named in
 * a profile, a download path) checks it with {@link #isWellFormed}.
 */
public final class BlobIds {

    /** The shape {@link #isWellFormed} accepts, as error messages spell it. */
    public static final String RULE = "1..128 characters of [A-Za-z0-9_-]";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private BlobIds() {
    }

    public static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** True for an id of the form {@link #next} makes (any length up to 128). */
    public static boolean isWellFormed(String blobId) {
        return blobId != null && SHAPE.matcher(blobId).matches();
    }

    /** The id itself; {@link IllegalArgumentException} when it is not {@linkplain #isWellFormed well formed}. */
    public static String require(String blobId) {
        if (!isWellFormed(blobId)) {
            throw new IllegalArgumentException("blob ids are " + RULE);
        }
        return blobId;
    }
}
