package im.bench.scenario;

import im.bench.server.Target;

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
        RunResult result = PairedRun.run(name(), target, shape, 0, progress,
                load -> Pacer.start(rate, load.size(), load::sendAt));
        result.figure("target rate", rate, "msg/s", true);
        return result;
    }
}
