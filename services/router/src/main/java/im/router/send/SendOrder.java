package im.router.send;

/**
 * The per-device numbering of sends: a device numbers its sends in a conversation 1, 2, 3, ...
 * and the store takes a numbered send only when it is the next one. Zero means unnumbered.
 */
public final class SendOrder {

    private SendOrder() {
    }

    /** Whether the send takes part in the order check. */
    public static boolean isNumbered(long clientSeq) {
        return clientSeq != 0;
    }

    /** The only client_seq the store accepts after {@code lastClientSeq}. */
    public static long expectedAfter(long lastClientSeq) {
        return lastClientSeq + 1;
    }

    /** Whether a numbered send may be stored after the device's last stored number. */
    public static boolean accepts(long lastClientSeq, long clientSeq) {
        return clientSeq == expectedAfter(lastClientSeq);
    }
}
