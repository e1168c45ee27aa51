package im.leaf.segment;

/** Contiguous ids handed out together: {@code start, start + 1, ..., start + count - 1}. */
public record IdBlock(long start, int count) {

    public long last() {
        return start + count - 1;
    }
}
