package im.client.sdk;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs listener callbacks on one client thread, in the order they were queued, never on the
 * network thread, so the application may call back into the client (even block on its futures).
 * When the application falls behind, reading from the network pauses (TCP pushes back on the
 * server) until the backlog halves.
 */
final class Dispatcher {

    private final ImClient.Listener listener;
    private final int queueHigh;
    private final ExecutorService listenerThread;
    private final Consumer<Boolean> networkReads;
    private final AtomicInteger queued = new AtomicInteger();

    /**
     * @param listenerThread runs the callbacks; one thread, so they keep their order
     * @param networkReads   turns reading from the network off (false) and on again (true)
     */
    Dispatcher(ImClient.Listener listener, int queueHigh, ExecutorService listenerThread,
            Consumer<Boolean> networkReads) {
        this.listener = listener;
        this.queueHigh = queueHigh;
        this.listenerThread = listenerThread;
        this.networkReads = networkReads;
    }

    void toListener(Consumer<ImClient.Listener> callback) {
        afterListener(() -> callback.accept(listener));
    }

    /** Runs {@code action} on the listener thread once every callback queued before it has returned. */
    void afterListener(Runnable action) {
        int backlog = queued.incrementAndGet();
        if (backlog == queueHigh) {
            networkReads.accept(false);
        }
        try {
            listenerThread.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    // The application's bug must not stop later callbacks; it has no other channel here.
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, e);
                } finally {
                    if (queued.decrementAndGet() == queueHigh / 2) {
                        networkReads.accept(true);
                    }
                }
            });
        } catch (RejectedExecutionException closedAlready) {
            queued.decrementAndGet();
        }
    }

    /** Callbacks already queued (the final onDisconnected among them) still run. */
    void shutdown() {
        listenerThread.shutdown();
    }
}
