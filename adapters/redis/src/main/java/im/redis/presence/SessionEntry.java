package im.redis.presence;

/**
 * One device's field in a user's presence hash, stored as {@code {epoch}|{incarnation}|{nodeId}}.
 * The connect script writes the same shape; the node id goes last because it is the one part
 * that may hold any character (epochs are digits, incarnations are UUIDs).
 */
record SessionEntry(long epoch, NodeIncarnation incarnation) {

    private static final char SEPARATOR = '|';

    String nodeId() {
        return incarnation.nodeId();
    }

    /** What a stored value of this epoch starts with, and nothing of another epoch does. */
    static String epochPrefix(long epoch) {
        return Long.toString(epoch) + SEPARATOR;
    }

    /** The entry, or null for a value of another shape (which then counts as a dead session). */
    static SessionEntry parse(String value) {
        int first = value.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : value.indexOf(SEPARATOR, first + 1);
        if (second < 0) {
            return null;
        }
        try {
            long epoch = Long.parseLong(value, 0, first, 10);
            return new SessionEntry(epoch,
                    new NodeIncarnation(value.substring(second + 1), value.substring(first + 1, second)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
