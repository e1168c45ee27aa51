package im.push.connection;

import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Frames written to one connection close together leave in one socket write.
 *
 * <p>Why: most frames reach a connection from other threads (deliveries and receipts from the
 * router's commit, SendAcks from its reply threads), each as a write-and-flush, and each flush was
 * a {@code write(2)} of its own: socket writes were two fifths of the push I/O threads' CPU at
 * saturation (profiled). Netty's consolidation handler turns a flush into a task queued behind the
 * writes already waiting for the connection's event loop (and, while a read is in progress, into
 * one flush after it), so a commit that answers several of one device's sends costs one write.
 * A frame waits at most for the event loop's queued tasks, never for a timer.
 */
public final class FlushBatching {

    // Past this many consolidated flushes a real one goes out anyway, so a connection that is
    // written to without pause still sees its bytes leave.
    private static final int FLUSH_AT_LEAST_EVERY = 64;

    private FlushBatching() {
    }

    /** A new handler for one connection (it holds that connection's state); nearest the socket after TLS. */
    public static FlushConsolidationHandler handler() {
        return new FlushConsolidationHandler(FLUSH_AT_LEAST_EVERY, true);
    }
}
