package im.bench.scenario;

import im.bench.load.Conn;
import im.bench.load.GroupLoad;
import im.bench.load.LoadClient;
import im.bench.load.LoadMetrics;
import im.bench.server.BenchGroup;
import im.bench.server.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Group fan-out: a group of {@code members} users of whom {@code online} are connected (one device
 * each) takes {@code rate} messages a second from its online members in turn (open loop, timed
 * from the schedule). Measured: from the send to each online member's Deliver, and to the last
 * one's per message; the server's CPU per delivered copy. Then, on the same server, a private
 * open loop at the same copies per second, for the CPU a private message costs beside it.
 *
 * <p>Setup (register every member, log the online ones in, make the group, connect) is timed and
 * reported, not measured under load: at 10,000 members it is most of the run.
 */
public final class GroupScenario implements Scenario {

    /** The target of the fan-out: p99 from the send to the last online member's Deliver. */
    static final Duration LAST_MEMBER_P99_TARGET = Duration.ofSeconds(1);
    /** How long the messages of the window may take to reach every member after it closes. */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    /** How long the members may take to page in the group's history after connecting. */
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final int PARALLEL_HANDSHAKES = 256;

    private final GroupShape shape;

    public GroupScenario(GroupShape shape) {
        this.shape = shape;
    }

    @Override
    public String name() {
        return "group-" + shape.members() + "x" + shape.online() + "-" + rateLabel(shape.rate());
    }

    @Override
    public String description() {
        String privateRun = shape.privateRate() > 0 ? String.format("; then, on the same server, a private open loop"
                + " at %,.0f msgs/s over %,d connections in pairs with the same warm-up and measured seconds",
                shape.privateRate(), shape.privateConnections()) : "";
        return String.format("group of %,d members, %,d of them online (one device each), %s msgs/s to the group from"
                + " the online members in turn (%,d copies each), %d-byte payload, %d s warm-up, %d s measured%s",
                shape.members(), shape.online(), rateLabel(shape.rate()), shape.copiesPerMessage(),
                shape.payloadBytes(), shape.warmup().toSeconds(), shape.measure().toSeconds(), privateRun);
    }

    /** Only a server with accounts and groups. */
    @Override
    public boolean supports(Target target) {
        return target.stores();
    }

    @Override
    public RunResult run(Target target, Progress progress) throws Exception {
        RunResult result = new RunResult(name(), target.name());
        String label = "[" + name() + " " + target.name() + "]";
        progress.line(String.format("%s setting up %,d members, %,d online", label, shape.members(), shape.online()));
        BenchGroup group = target.group(shape.members(), shape.online(), line -> progress.line(label + " " + line));
        LoadMetrics metrics = new LoadMetrics();
        GroupLoad load = new GroupLoad(group.groupId(), group.conversationId(), group.online(), metrics,
                shape.payloadBytes());
        try (LoadClient client = new LoadClient(shape.ioThreads())) {
            long connectStart = System.nanoTime();
            List<Conn> conns = client.connectAll(target::tcp, group.online(), PARALLEL_HANDSHAKES, List.of(), null,
                    load);
            load.connected(conns);
            awaitCatchUp(load, label, progress);
            Duration connecting = Duration.ofNanos(System.nanoTime() - connectStart);
            setupFigures(result, group, connecting);

            Runnable stopPacing = Pacer.start(shape.rate(), load.size(), load::sendAt);
            Phases.Window w;
            int open;
            long missing;
            try {
                w = Phases.measure(name(), target, metrics, shape.warmup(), shape.measure(), result, progress,
                        () -> false, () -> load.windowFrom(System.nanoTime()));
                load.windowTo(System.nanoTime());
                // The load goes on while the window's last messages reach every member.
                long drainEnd = System.nanoTime() + DRAIN.toNanos();
                while (load.openInWindow() > 0 && System.nanoTime() < drainEnd) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                open = load.openInWindow();
                missing = load.missingCopiesInWindow();
            } finally {
                stopPacing.run();
                load.stop();
            }
            long lost = conns.stream().filter(c -> !c.channel().isActive()).count();
            conns.forEach(Conn::close);
            fanoutFigures(result, w, load, open, missing);
            if (lost > 0) {
                result.notes().add(target.name() + ": " + lost + " member connections were closed by the server during"
                        + " the run");
            }
            if (!metrics.errorSummary().isEmpty()) {
                result.notes().add(target.name() + ": error frames over the whole run (warm-up included): "
                        + metrics.errorSummary());
            }
        }
        if (shape.privateRate() > 0) {
            privateRun(target, progress, result);
        }
        return result;
    }

    private void awaitCatchUp(GroupLoad load, String label, Progress progress) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        int behind;
        while ((behind = load.catchingUp()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(behind + " members did not take the group's history within "
                        + CATCH_UP);
            }
            progress.line(String.format("%s %,d members still paging in the group's history", label, behind));
            TimeUnit.SECONDS.sleep(1);
        }
    }

    private static void setupFigures(RunResult result, BenchGroup group, Duration connecting) {
        double total = seconds(group.registering()) + seconds(group.loggingIn()) + seconds(group.grouping())
                + seconds(connecting);
        result.figure("setup: register every member", seconds(group.registering()), "s", false);
        result.figure("setup: registrations per second", group.members() / seconds(group.registering()), "/s", true);
        result.figure("setup: log the online members in", seconds(group.loggingIn()), "s", false);
        result.figure("setup: create the group, add the members", seconds(group.grouping()), "s", false);
        result.figure("setup: connect, page in the group's history", seconds(connecting), "s", false);
        result.figure("setup: total", total, "s", false);
    }

    private void fanoutFigures(RunResult result, Phases.Window w, GroupLoad load, int open, long missing) {
        Histogram each = load.toEach();
        Histogram last = load.toLast();
        result.latencies().put("send -> each member", each);
        result.latencies().put("send -> last member", last);
        result.sendAck(w.sendAck());
        result.figure("group msgs/s sent", w.sent() / w.seconds(), "msg/s", true);
        result.figure("copies per message", shape.copiesPerMessage(), "", false);
        result.figure("delivered copies/s", w.deliveredPerSecond(), "copy/s", true);
        result.figure("messages measured", last.getTotalCount() + open, "", true);
        PairedRun.percentiles(result, "send -> each member", each);
        PairedRun.percentiles(result, "send -> last member", last);
        result.figure("send -> last member max", PairedRun.millis(last, 100), "ms", false);
        PairedRun.percentiles(result, "send->SendAck", w.sendAck());
        result.figure("server CPU per delivered copy", w.delivered() == 0 ? Double.NaN
                : w.serverCpuSeconds() * 1e6 / w.delivered(), "µs", false);
        result.figure("server CPU per group message", w.sent() == 0 ? Double.NaN
                : w.serverCpuSeconds() * 1e6 / w.sent(), "µs", false);
        result.figure("server CPU used", w.serverCpuSeconds() / w.seconds(), "cores", false);
        result.figure("load generator CPU used", w.generatorCpuSeconds() / w.seconds(), "cores", false);
        result.figure("server RSS", w.serverRssBytes() / 1048576.0, "MiB", false);
        result.figure("errors", w.errors(), "", false);
        result.figure("redelivered", w.redelivered(), "", false);
        result.figure("messages not at every online member", open, "", false);
        if (open > 0) {
            result.notes().add(String.format("%s: %,d messages of the window still missed %,d copies %d s after it"
                    + " closed (a lost or stuck delivery)", result.target(), open, missing, DRAIN.toSeconds()));
        }
        if (load.firstSeenRetransmitted.sum() > 0) {
            result.notes().add(String.format("%s: %,d copies reached their device first as a retransmission",
                    result.target(), load.firstSeenRetransmitted.sum()));
        }
        if (load.unexpected.sum() > 0) {
            result.notes().add(String.format("%s: %,d Delivers of messages the bench did not send or no longer"
                    + " followed", result.target(), load.unexpected.sum()));
        }
        double p99 = PairedRun.millis(last, 99);
        result.notes().add(String.format("%s: target p99 from send to the last online member's Deliver under %,d ms:"
                + " %s (%.1f ms over %,d messages)", result.target(), LAST_MEMBER_P99_TARGET.toMillis(),
                p99 < LAST_MEMBER_P99_TARGET.toMillis() && open == 0 ? "met" : "not met", p99, last.getTotalCount()));
    }

    /** The private open loop beside the group's, its figures prefixed "private:". */
    private void privateRun(Target target, Progress progress, RunResult result) throws Exception {
        LoadShape privateShape = new LoadShape(shape.privateConnections(), shape.payloadBytes(), shape.warmup(),
                shape.measure(), shape.ioThreads());
        OpenLoopScenario open = new OpenLoopScenario(privateShape, shape.privateRate(), "beside " + name());
        RunResult privateResult = open.run(target, progress);
        for (String figure : List.of("delivered msgs/s", "one-way p50", "one-way p99", "one-way p99.9",
                "server CPU per msg", "server CPU used", "load generator CPU used", "errors")) {
            Figure f = privateResult.figures().get(figure);
            if (f != null) {
                result.figure("private: " + figure, f.value(), f.unit(), f.higherIsBetter());
            }
        }
        double perCopy = result.value("server CPU per delivered copy");
        double perPrivate = privateResult.value("server CPU per msg");
        result.figure("group copy CPU / private msg CPU", perCopy / perPrivate, "", false);
        privateResult.notes().forEach(note -> result.notes().add("private: " + note));
    }

    static String rateLabel(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
