package im.bench.scenario;

import im.bench.server.Target;

/** (a) 1:1 closed-loop throughput: every sender keeps {@code window} messages incomplete. */
public final class ClosedLoopScenario implements Scenario {

    private final LoadShape shape;
    private final int window;

    public ClosedLoopScenario(LoadShape shape, int window) {
        if (window < 1 || window > 100) {
            // The push edge allows 128 router calls in flight per connection (sends and acks).
            throw new IllegalArgumentException("window must be 1..100, got " + window);
        }
        this.shape = shape;
        this.window = window;
    }

    @Override
    public String name() {
        return "closed-" + shape.connections() + "x" + window;
    }

    @Override
    public String description() {
        return "closed loop, window " + window + ", " + shape.describe();
    }

    @Override
    public RunResult run(Target target, Progress progress) throws Exception {
        return PairedRun.run(name(), target, shape, window, progress, load -> {
            load.startClosedLoop(0);
            return () -> { };
        });
    }
}
