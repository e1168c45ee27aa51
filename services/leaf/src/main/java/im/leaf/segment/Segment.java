package im.leaf.segment;

/**
 * A range of ids claimed from the database: {@code (maxId - step, maxId]}. Whoever claimed it owns
 * every id in it; no other node and no later claim will ever get one of them.
 */
public record Segment(long maxId, int step) {

    public Segment {
        if (step <= 0) {
            throw new IllegalArgumentException("step must be positive: " + step);
        }
    }

    public long firstId() {
        return maxId - step + 1;
    }
}
