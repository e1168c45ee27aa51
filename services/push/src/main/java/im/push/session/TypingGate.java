package im.push.session;

import im.protocol.client.Frame;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which typing signals of one connection go on to the router, and when. Per conversation at most
 * one a second, except that a stop right after a forwarded start goes too (so a receiver is not
 * left showing "typing" until it lapses). The rest are dropped without an answer: a typing signal
 * is advisory and the next one replaces it, and a device that types fast must not make the router
 * check and publish each keystroke. A conversation is remembered for a second after its last
 * admitted signal, and at most {@value #CONVERSATIONS} at once: a signal of yet another one within
 * that second is dropped, so cycling through conversations does not get round the limit.
 *
 * <p>One signal is with the router at a time; the ones admitted meanwhile wait, the latest of each
 * conversation only (at most {@value #CONVERSATIONS}, the oldest dropped). Calls made side by side
 * could be answered, and published, in either order, and a start published after its stop would
 * show "typing" to the receiver for seconds.
 *
 * <p>Touched only on the connection's event loop.
 */
final class TypingGate {

    static final int CONVERSATIONS = 16;
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The last admitted signal per conversation, oldest first. */
    private final LinkedHashMap<String, Admitted> recent = new LinkedHashMap<>();
    private final LinkedHashMap<String, Frame> waiting = new LinkedHashMap<>();
    private boolean withRouter;

    /**
     * A Typing frame came in: the frame to forward now, or null when it is dropped or waits for the
     * signal with the router ({@link #answered}).
     */
    Frame offer(Frame frame, long nowNanos) {
        String conversationId = frame.getTyping().getConversationId();
        if (!admit(conversationId, frame.getTyping().getTyping(), nowNanos)) {
            return null;
        }
        if (!withRouter) {
            withRouter = true;
            return frame;
        }
        if (waiting.remove(conversationId) == null && waiting.size() >= CONVERSATIONS) {
            Iterator<String> oldest = waiting.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        waiting.put(conversationId, frame);
        return null;
    }

    /** The signal with the router is answered: the next one to forward, or null when none waits. */
    Frame answered() {
        Iterator<Frame> next = waiting.values().iterator();
        if (!next.hasNext()) {
            withRouter = false;
            return null;
        }
        Frame frame = next.next();
        next.remove();
        return frame;
    }

    /** Whether a signal may go on now; when it may, the conversation's second starts again. */
    private boolean admit(String conversationId, boolean typing, long nowNanos) {
        forgetOlderThanInterval(nowNanos);
        Admitted last = recent.get(conversationId);
        boolean admitted = last == null ? recent.size() < CONVERSATIONS : !typing && last.typing();
        if (admitted) {
            // Re-inserted, so the map stays ordered by the time of the last admitted signal.
            recent.remove(conversationId);
            recent.put(conversationId, new Admitted(nowNanos, typing));
        }
        return admitted;
    }

    private void forgetOlderThanInterval(long nowNanos) {
        for (Iterator<Map.Entry<String, Admitted>> oldest = recent.entrySet().iterator(); oldest.hasNext();) {
            if (nowNanos - oldest.next().getValue().atNanos() < INTERVAL_NANOS) {
                return;
            }
            oldest.remove();
        }
    }

    private record Admitted(long atNanos, boolean typing) {
    }
}
