package im.leaf.segment;

/** A segment could not be claimed; nothing was handed out. */
public class SegmentStoreException extends RuntimeException {

    public SegmentStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
