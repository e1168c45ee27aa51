package im.bench.scenario;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The open loop's schedule: message {@code i} is due at {@code start + i / rate} and goes out from
 * sender {@code i % senders} as soon as that moment has passed, timed from the moment it was due
 * (coordinated omission corrected: a stalled pacer or server cannot hide the queueing it caused).
 * One daemon thread, which checks the schedule every 200 µs.
 */
final class Pacer {

    /** Sends one message from a sender; called on the pacer's thread, so it must only hand over. */
    interface Sender {
        void sendAt(int sender, long intendedNanos);
    }

    private Pacer() {
    }

    /** Starts pacing; returns what stops it (and waits for the thread to end). */
    static Runnable start(double rate, int senders, Sender sender) {
        if (rate <= 0 || senders < 1) {
            throw new IllegalArgumentException("rate and senders must be positive, got " + rate + ", " + senders);
        }
        Thread pacer = new Thread(() -> pace(rate, senders, sender), "bench-pacer");
        pacer.setDaemon(true);
        pacer.start();
        return () -> {
            pacer.interrupt();
            try {
                pacer.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static void pace(double rate, int senders, Sender sender) {
        long start = System.nanoTime();
        double intervalNanos = 1e9 / rate;
        long issued = 0;
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            long due = (long) ((now - start) / intervalNanos) + 1;
            for (; issued < due; issued++) {
                sender.sendAt((int) (issued % senders), start + (long) (issued * intervalNanos));
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }
}
