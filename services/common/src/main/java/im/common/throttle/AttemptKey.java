package im.common.throttle;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an {@link AttemptCounter} counts: a bucket (which limit, e.g. {@code login-account}) and
 * a subject within it (a username, a client address). Subjects are taken as given, 1..256 of any
 * characters; a counter keeps them apart from each other and from other buckets.
 */
public record AttemptKey(String bucket, String subject) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9-]{1,32}");
    /** Far above a username (32) or an IPv6 address (45); a bound on what one key costs to keep. */
    public static final int MAX_SUBJECT_LENGTH = 256;

    public AttemptKey {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(subject, "subject");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket must match " + BUCKET + ": " + bucket);
        }
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException("subject must be 1.." + MAX_SUBJECT_LENGTH + " characters");
        }
    }
}
