package im.bench.scenario;

import im.bench.load.LoadMetrics;
import im.bench.server.ProcStats;
import im.bench.server.Target;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * Warm-up then measurement of a running load, sampling once a second: the throughput series,
 * the progress line, and the server's CPU time over the measured window only.
 */
public final class Phases {

    private Phases() {
    }

    /** What the measured window saw. */
    public record Window(double seconds, long delivered, long sent, long acked, long errors, long redelivered,
            double serverCpuSeconds, double generatorCpuSeconds, long serverRssBytes, Histogram oneWay, Histogram oneWayUncorrected,
            Histogram sendAck, Map<String, Double> processCpuSeconds) {

        public double deliveredPerSecond() {
            return seconds <= 0 ? 0 : delivered / seconds;
        }
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** CPU seconds of each of the target's processes so far (one entry for a single-process server). */
    private static Map<String, Double> processCpu(Target target) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        target.processes().forEach((process, pid) -> cpu.put(process, ProcStats.cpuSeconds(pid)));
        return cpu;
    }

    private static double ownCpu() {
        return ProcStats.cpuSeconds(ProcessHandle.current().pid());
    }

    /** Runs the phases while the load is already flowing; {@code failed} stops early. */
    public static Window measure(String label, Target target, LoadMetrics metrics, Duration warmup, Duration measure,
            RunResult result, Progress progress, BooleanSupplier failed) throws InterruptedException {
        return measure(label, target, metrics, warmup, measure, result, progress, failed, () -> { });
    }

    /** As above; {@code atMeasureStart} runs when the measured window opens (a scenario's own figures reset). */
    public static Window measure(String label, Target target, LoadMetrics metrics, Duration warmup, Duration measure,
            RunResult result, Progress progress, BooleanSupplier failed, Runnable atMeasureStart)
            throws InterruptedException {
        long warmupSeconds = warmup.toSeconds();
        long measureSeconds = Math.max(1, measure.toSeconds());
        result.warmupSeconds((int) warmupSeconds);
        long start = System.nanoTime();
        long lastDelivered = metrics.delivered.sum();
        long delivered0 = lastDelivered;
        long sent0 = metrics.sent.sum();
        long acked0 = metrics.acked.sum();
        long errors0 = metrics.errors.sum();
        long redelivered0 = metrics.redelivered.sum();
        double cpu0 = target.cpuSeconds();
        Map<String, Double> processes0 = processCpu(target);
        double own0 = ownCpu();
        long measureStart = start;
        boolean measuring = warmupSeconds == 0;
        if (measuring) {
            metrics.resetHistograms();
            atMeasureStart.run();
        }
        for (long second = 1; second <= warmupSeconds + measureSeconds; second++) {
            long due = start + TimeUnit.SECONDS.toNanos(second);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
                if (failed.getAsBoolean()) {
                    break;
                }
            }
            long delivered = metrics.delivered.sum();
            result.throughput().add((double) (delivered - lastDelivered));
            lastDelivered = delivered;
            String phase = second <= warmupSeconds ? "warm-up " + second + "/" + warmupSeconds
                    : "measure " + (second - warmupSeconds) + "/" + measureSeconds;
            Histogram lastSecond = metrics.oneWaySinceLastCall();
            progress.line(String.format("[%s %s] %s: %,d msg/s, sent %,d, delivered %,d, errors %,d, one-way p99 %.1f ms, max %.1f ms",
                    label, target.name(), phase, result.throughput().get(result.throughput().size() - 1).longValue(),
                    metrics.sent.sum(), delivered, metrics.errors.sum(), millis(lastSecond.getValueAtPercentile(99)),
                    millis(lastSecond.getMaxValue())));
            if (second == warmupSeconds) {
                metrics.resetHistograms();
                atMeasureStart.run();
                measureStart = System.nanoTime();
                delivered0 = delivered;
                sent0 = metrics.sent.sum();
                acked0 = metrics.acked.sum();
                errors0 = metrics.errors.sum();
                redelivered0 = metrics.redelivered.sum();
                cpu0 = target.cpuSeconds();
                processes0 = processCpu(target);
                own0 = ownCpu();
            }
            if (failed.getAsBoolean()) {
                break;
            }
        }
        double seconds = (System.nanoTime() - measureStart) / 1e9;
        Map<String, Double> processCpu = processCpu(target);
        Map<String, Double> atStart = processes0;
        processCpu.replaceAll((process, cpu) -> cpu - atStart.getOrDefault(process, Double.NaN));
        return new Window(seconds, metrics.delivered.sum() - delivered0, metrics.sent.sum() - sent0,
                metrics.acked.sum() - acked0, metrics.errors.sum() - errors0, metrics.redelivered.sum() - redelivered0,
                target.cpuSeconds() - cpu0, ownCpu() - own0, target.rssBytes(), metrics.oneWaySnapshot(),
                metrics.oneWayUncorrectedSnapshot(), metrics.sendAckSnapshot(), processCpu);
    }
}
