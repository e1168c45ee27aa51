package im.checker.scenario;

import im.checker.system.CheckedSystem;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The system's faults, spread evenly over the sends: fault k (1-based) of n is due at send
 * {@code k * messages / (n + 1)} and runs on a thread of its own, so the sends go on meanwhile.
 * One fault at a time: a fault due while the one before it is still under way (a cluster node
 * takes 20-40 s to boot) starts at the first send after that one is over, and the sends are never
 * held back for it; faults still due after the last send run then, one after the other. Each says
 * what it does and how long recovery took.
 *
 * <p>Threads: {@link #beforeSend} and {@link #awaitLast} on the scenario's one sending thread;
 * the faults on {@code checker-faults}.
 */
final class FaultSchedule implements AutoCloseable {

    // A node or broker that is not back within this is broken, not slow.
    private static final long FAULT_TIMEOUT_MINUTES = 5;

    private final CheckedSystem system;
    private final int[] faultAt;
    private final Consumer<String> say;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "checker-faults");
        t.setDaemon(true);
        return t;
    });
    private Future<?> running;
    private int next;

    FaultSchedule(CheckedSystem system, int faults, int messages, Consumer<String> say) {
        this.system = system;
        this.say = say;
        this.faultAt = new int[faults];
        for (int k = 0; k < faults; k++) {
            faultAt[k] = (int) ((long) (k + 1) * messages / (faults + 1));
        }
    }

    /**
     * Before send {@code i}: starts the next fault if it is due and the one before it is over.
     *
     * @return whether a fault was started
     */
    boolean beforeSend(int i) throws Exception {
        if (next < faultAt.length && i >= faultAt[next] && (running == null || running.isDone())) {
            startNext();
            return true;
        }
        return false;
    }

    /** After the last send: runs the faults still due, one after the other; a failed fault fails the run. */
    void awaitLast() throws Exception {
        awaitRunning();
        while (next < faultAt.length) {
            startNext();
            awaitRunning();
        }
    }

    private void startNext() throws Exception {
        awaitRunning();
        int k = ++next;
        running = executor.submit(() -> {
            inject(k);
            return null;
        });
    }

    /** Waits for the fault under way, if any (tests; the scenario calls {@link #awaitLast}). */
    void awaitRunning() throws Exception {
        if (running != null) {
            running.get(FAULT_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        }
    }

    private void inject(int k) throws Exception {
        String which = "fault " + k + "/" + faultAt.length + ": ";
        say.accept(which + system.describeFault(k));
        long t0 = System.nanoTime();
        system.disrupt(k);
        say.accept(which + "recovered after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
