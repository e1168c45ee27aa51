package im.bench.scenario;

import im.bench.server.Target;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * (b) open-loop latency: a fixed total rate spread round-robin over the connections, each
 * message timed from when the schedule said to send it (coordinated omission corrected).
 */
public final class OpenLoopScenario implements Scenario {

    private final LoadShape shape;
    private final double rate;
    private final String label;

    /** @param label how the rate was chosen, e.g. "1000" or "0.5x closed" */
    public OpenLoopScenario(LoadShape shape, double rate, String label) {
        if (rate <= 0 || rate > 10_000_000) {
            throw new IllegalArgumentException("rate must be in (0, 10M] msgs/s, got " + rate);
        }
        this.shape = shape;
        this.rate = rate;
        this.label = label;
    }

    @Override
    public String name() {
        return "open-" + Math.round(rate);
    }

    @Override
    public String description() {
        return String.format("open loop at %,.0f msgs/s (%s), %s", rate, label, shape.describe());
    }

    @Override
    public RunResult run(Target target, Progress progress) throws Exception {
        RunResult result = PairedRun.run(name(), target, shape, 0, progress, load -> {
            Thread pacer = new Thread(() -> pace(load), "bench-pacer");
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
        });
        result.figure("target rate", rate, "msg/s", true);
        return result;
    }

    private void pace(im.bench.load.PairedLoad load) {
        long start = System.nanoTime();
        double intervalNanos = 1e9 / rate;
        long issued = 0;
        int n = load.size();
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            // Message i is due at start + i * interval: send it as soon as that moment has passed.
            long due = (long) ((now - start) / intervalNanos) + 1;
            for (; issued < due; issued++) {
                load.sendAt((int) (issued % n), start + (long) (issued * intervalNanos));
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }
}
