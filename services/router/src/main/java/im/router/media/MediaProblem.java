package im.router.media;

/** Why an upload or a download was refused; the {@code code} of its problem body. */
public enum MediaProblem {
    /** A malformed conversation id, file name or length. */
    INVALID_ARGUMENT(400, "Invalid request"),
    /** An upload to a conversation that does not exist or of which the caller is no (longer a) member. */
    UNKNOWN_CONVERSATION(404, "Unknown conversation"),
    /**
     * No blob of that id in that conversation for this caller: an unknown id, another
     * conversation's, or a conversation the caller may not read. All answer alike, so an id
     * reveals nothing.
     */
    UNKNOWN_BLOB(404, "Unknown blob"),
    /** An avatar for an account that has no profile. */
    UNKNOWN_USER(404, "Unknown user"),
    /** The body is larger than {@code im.router.media.max-bytes} ({@code avatar-max-bytes} for an avatar). */
    TOO_LARGE(413, "Attachment too large"),
    /** No Content-Type, or one outside {@code im.router.media.types}. */
    UNSUPPORTED_TYPE(415, "Unsupported attachment type"),
    /** A PNG, JPEG or GIF whose header cannot be read as one. */
    INVALID_IMAGE(400, "Invalid image"),
    /** An image whose header claims more than {@code im.router.media.thumbnails.max-pixels} pixels. */
    IMAGE_TOO_LARGE(400, "Image too large"),
    /** The blob store or the database failed, or the conversation is moving between shards: try again. */
    UNAVAILABLE(503, "Service unavailable");

    private final int status;
    private final String title;

    MediaProblem(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
