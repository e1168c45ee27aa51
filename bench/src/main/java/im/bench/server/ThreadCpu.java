package im.bench.server;

import java.util.HashMap;
import java.util.Map;

/**
 * The CPU seconds some threads have used so far, read at one moment, by thread. A thread is its id
 * and start time, so an id the kernel hands to a new thread is not taken for the old one; ids are
 * unique across the processes of one machine, so the threads of several processes add up.
 *
 * @param complete false when a process's threads could not be listed: the figures made from it are NaN
 */
public record ThreadCpu(Map<Id, Double> seconds, boolean complete) {

    static final ThreadCpu UNREAD = new ThreadCpu(Map.of(), false);

    /** A thread: its id and its start time in clock ticks after boot. */
    public record Id(long tid, long startTicks) {
    }

    public ThreadCpu {
        seconds = Map.copyOf(seconds);
    }

    /** This reading and {@code other} together: the threads of several processes. */
    public ThreadCpu plus(ThreadCpu other) {
        Map<Id, Double> both = new HashMap<>(seconds);
        both.putAll(other.seconds);
        return new ThreadCpu(both, complete && other.complete);
    }

    /**
     * CPU seconds the threads used between {@code earlier} and this reading, counting only those
     * alive at both. A thread that exits in between takes its CPU out of any per-thread reading,
     * and one born in between is left out alike, so what such threads used stays in the process's
     * total: subtracted from it, this gives an upper bound of what the other threads used.
     */
    public double secondsSince(ThreadCpu earlier) {
        if (!complete || !earlier.complete) {
            return Double.NaN;
        }
        double sum = 0;
        for (Map.Entry<Id, Double> thread : seconds.entrySet()) {
            Double before = earlier.seconds.get(thread.getKey());
            if (before != null) {
                sum += thread.getValue() - before;
            }
        }
        return sum;
    }
}
