package im.bench.scenario;

import im.bench.server.Target;

/**
 * One kind of load. A scenario sets up its users on the target, drives it and returns what it
 * measured; the runner owns the targets, the comparison with the relay and the report. New kinds
 * (group fan-out, cluster mode) are new implementations of this interface.
 */
public interface Scenario {

    /** Short id used in file names and tables, e.g. "closed-1000x4" or "idle-10000". */
    String name();

    /** One line for the report: what was run, with its parameters. */
    String description();

    /** False when the target cannot take part (the relay stores nothing to catch up on). */
    default boolean supports(Target target) {
        return true;
    }

    RunResult run(Target target, Progress progress) throws Exception;
}
