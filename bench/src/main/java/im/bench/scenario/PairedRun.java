package im.bench.scenario;

import im.bench.load.Conn;
import im.bench.load.Identity;
import im.bench.load.LoadClient;
import im.bench.load.LoadMetrics;
import im.bench.load.PairedLoad;
import im.bench.server.Target;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** The part the closed and open loops share: users, connections, figures. */
final class PairedRun {

    private static final int REST_SECONDS = 2;

    private PairedRun() {
    }

    interface Driver {
        /** Starts the load; returns what stops it. */
        Runnable start(PairedLoad load);
    }

    static RunResult run(String name, Target target, LoadShape shape, int window, Progress progress, Driver driver)
            throws Exception {
        RunResult result = new RunResult(name, target.name());
        progress.line("[" + name + " " + target.name() + "] setting up " + shape.connections() + " users");
        List<Identity> identities = target.identities(shape.connections(), 1, true);
        try (LoadClient client = new LoadClient(shape.ioThreads())) {
            List<Conn> conns = client.connectAll(target::tcp, identities, 256, List.of(), null);
            // What the server burns with every connection open and nothing sent: the floor under
            // the per-message CPU figure (timers, pollers, pools).
            RestCpu rest = RestCpu.measure(target, REST_SECONDS);
            LoadMetrics metrics = new LoadMetrics();
            PairedLoad load = new PairedLoad(conns, metrics, shape.payloadBytes(), window, true);
            Runnable stop = driver.start(load);
            Phases.Window w;
            try {
                w = Phases.measure(name, target, metrics, shape.warmup(), shape.measure(), result, progress,
                        () -> false);
            } finally {
                stop.run();
                load.stop();
            }
            long lost = conns.stream().filter(c -> !c.channel().isActive()).count();
            conns.forEach(Conn::close);
            figures(result, w);
            if (lost > 0) {
                result.notes().add(target.name() + ": " + lost + " connections were closed by the server during the run");
            }
            result.figure("server CPU at rest (connected, idle)", rest.cores(), "cores", false);
            result.figure(RestCpu.FIGURE_WITHOUT_COMPILER, rest.coresWithoutCompiler(), "cores", false);
            if (!metrics.errorSummary().isEmpty()) {
                result.notes().add(target.name() + ": error frames over the whole run (warm-up included): "
                        + metrics.errorSummary());
            }
        }
        return result;
    }

    static void figures(RunResult result, Phases.Window w) {
        result.oneWay(w.oneWay());
        result.sendAck(w.sendAck());
        result.figure("delivered msgs/s", w.deliveredPerSecond(), "msg/s", true);
        percentiles(result, "one-way", w.oneWay());
        percentiles(result, "send->SendAck", w.sendAck());
        result.figure("server CPU per msg", w.delivered() == 0 ? Double.NaN
                : w.serverCpuSeconds() * 1e6 / w.delivered(), "µs", false);
        result.figure("server CPU used", w.serverCpuSeconds() / w.seconds(), "cores", false);
        if (w.processCpuSeconds().size() > 1) {
            cpuByRole(w.processCpuSeconds()).forEach((role, cpu) -> result.figure("server CPU per msg: " + role,
                    w.delivered() == 0 ? Double.NaN : cpu * 1e6 / w.delivered(), "µs", false));
        }
        result.figure("load generator CPU used", w.generatorCpuSeconds() / w.seconds(), "cores", false);
        result.figure("server RSS", w.serverRssBytes() / 1048576.0, "MiB", false);
        result.figure("errors", w.errors(), "", false);
        result.figure("redelivered", w.redelivered(), "", false);
    }

    /** CPU seconds summed by role: "push-1" and "push-2" are "push", "kafka" is "kafka". */
    static Map<String, Double> cpuByRole(Map<String, Double> byProcess) {
        Map<String, Double> byRole = new TreeMap<>();
        byProcess.forEach((process, cpu) -> byRole.merge(process.replaceFirst("-\\d+$", ""), cpu, Double::sum));
        return byRole;
    }

    static void percentiles(RunResult result, String label, Histogram h) {
        result.figure(label + " p50", millis(h, 50), "ms", false);
        result.figure(label + " p99", millis(h, 99), "ms", false);
        result.figure(label + " p99.9", millis(h, 99.9), "ms", false);
    }

    static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN
                : h.getValueAtPercentile(percentile) / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }
}
