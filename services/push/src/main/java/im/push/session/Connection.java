package im.push.session;

import io.netty.util.concurrent.ScheduledFuture;

/**
 * Per-channel state of the session layer. Touched only on the channel's event loop, except
 * {@link #session}, which gRPC callbacks read.
 */
final class Connection {

    enum State {
        /** Connected, no Hello yet (or the last one was refused). */
        NEW,
        /** A Hello is being verified. */
        HELLO_PENDING,
        /** HelloOk sent; the session serves requests. */
        OPEN,
        /** Being closed; nothing more is served. */
        CLOSING
    }

    State state = State.NEW;
    ScheduledFuture<?> helloTimer;
    volatile Session session;
    /** The paging after HelloOk; null before it. */
    CatchUp catchUp;
    /** The typing signals' limit; null until the first one. */
    private TypingGate typingGate;

    TypingGate typingGate() {
        if (typingGate == null) {
            typingGate = new TypingGate();
        }
        return typingGate;
    }

    /** A DeliverAck reached the catch-up, which is let go once it has nothing left to page. */
    void catchUpAcknowledged(String conversationId, long seq) {
        if (catchUp != null) {
            catchUp.acknowledged(conversationId, seq);
            if (!catchUp.running()) {
                catchUp = null; // a session outlives its catch-up by hours: its paging state need not
            }
        }
    }

    void stopCatchUp() {
        if (catchUp != null) {
            catchUp.stop();
        }
    }

    void cancelHelloTimer() {
        if (helloTimer != null) {
            helloTimer.cancel(false);
            helloTimer = null;
        }
    }
}
