package im.router.cursor;

/** The arithmetic every cursor obeys, apart from the SQL that applies it. */
public final class CursorRules {

    private CursorRules() {
    }

    /**
     * Where a request may move a cursor: nobody holds or reads beyond what was stored, so the
     * requested seq is capped at the conversation's last seq.
     */
    public static long capped(long requestedSeq, long lastSeq) {
        return Math.max(0, Math.min(requestedSeq, lastSeq));
    }
}
