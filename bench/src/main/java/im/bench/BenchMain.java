package im.bench;

import im.bench.relay.RelayMain;
import im.bench.report.MachineInfo;
import im.bench.scenario.CatchupScenario;
import im.bench.scenario.ClosedLoopScenario;
import im.bench.scenario.Comparison;
import im.bench.scenario.GroupScenario;
import im.bench.scenario.GroupShape;
import im.bench.scenario.IdleScenario;
import im.bench.scenario.LoadShape;
import im.bench.scenario.OpenLoopScenario;
import im.bench.scenario.Progress;
import im.bench.scenario.RunResult;
import im.bench.scenario.Scenario;
import im.bench.server.ClusterTarget;
import im.bench.server.Target;
import im.bench.server.TargetSettings;
import im.bench.store.StoreEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code java -jar bench/target/im-bench.jar <scenario> [options]}: one command per scenario. */
@Command(name = "im-bench", mixinStandardHelpOptions = true,
        description = "Load generator for the IM server, compared with a raw Netty relay.",
        subcommands = {BenchMain.Closed.class, BenchMain.Open.class, BenchMain.Idle.class, BenchMain.Catchup.class,
                BenchMain.Group.class, BenchMain.Cluster.class, BenchMain.Engines.class, BenchMain.Report.class, RelayMain.class})
public final class BenchMain {

    static String commandLine = "";

    public static void main(String[] args) {
        // Charts are drawn off-screen; there is no display on a server.
        System.setProperty("java.awt.headless", "true");
        commandLine = "java -jar bench/target/im-bench.jar " + String.join(" ", args);
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    /** Where the servers run and where the report goes: shared by every scenario command. */
    static final class Common {
        @Option(names = "--targets", split = ",", defaultValue = "relay,standalone",
                description = "Servers to run, in order (relay, standalone, cluster); default: ${DEFAULT-VALUE}")
        List<String> targets;

        @Option(names = "--out", defaultValue = "bench/results",
                description = "Directory for report fragments and plots; default: ${DEFAULT-VALUE}")
        Path out;

        @Option(names = "--work", defaultValue = "bench/target/bench-work",
                description = "Data directories and logs of the servers; default: ${DEFAULT-VALUE}")
        Path work;

        @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of the relay and the standalone (each"
                + " cluster node: IM_CLUSTER_HEAP of the environment, 256m unless set); default: ${DEFAULT-VALUE}")
        String heap;

        @Option(names = "--server-java-options", defaultValue = "",
                description = "Further JVM options of both servers, e.g. GC settings; default: none")
        String serverJavaOptions;

        @Option(names = "--standalone-jar", defaultValue = "services/standalone/target/quarkus-app/quarkus-run.jar",
                description = "The packaged standalone app; default: ${DEFAULT-VALUE}")
        Path standaloneJar;

        @Option(names = "--production-hashing",
                description = "Keep the production Argon2 cost for the standalone's register/login (slow setup;"
                        + " the cluster's auth node always hashes at the cost its environment gives)")
        boolean productionHashing;

        @Option(names = "--repository", defaultValue = ".",
                description = "The project's root, where scripts/cluster.sh is (cluster target); default: ${DEFAULT-VALUE}")
        Path repository;

        TargetSettings settings() {
            return new TargetSettings(work, heap, standaloneJar, !productionHashing, serverJavaOptions, repository, 2);
        }

        Comparison comparison() {
            return comparison(settings(), targets);
        }

        Comparison comparison(TargetSettings settings, List<String> targets) {
            return new Comparison(settings, targets, new Progress(System.out), out, commandLine);
        }
    }

    static final class Shape {
        @Option(names = "--connections", defaultValue = "1000", description = "Connections (even); default: ${DEFAULT-VALUE}")
        int connections;

        @Option(names = "--payload", defaultValue = "100", description = "Body bytes; default: ${DEFAULT-VALUE}")
        int payload;

        @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds; default: ${DEFAULT-VALUE}")
        int warmup;

        @Option(names = "--measure", defaultValue = "15", description = "Measured seconds; default: ${DEFAULT-VALUE}")
        int measure;

        @Option(names = "--io-threads", defaultValue = "2",
                description = "Load generator event loops; default: ${DEFAULT-VALUE}")
        int ioThreads;

        LoadShape shape() {
            return new LoadShape(connections, payload, Duration.ofSeconds(warmup), Duration.ofSeconds(measure),
                    ioThreads);
        }
    }

    @Command(name = "closed", mixinStandardHelpOptions = true,
            description = "(a) 1:1 closed-loop throughput: each sender keeps --window messages undelivered.")
    static final class Closed implements Callable<Integer> {
        @Mixin Common common;
        @Mixin Shape shape;

        @Option(names = "--window", defaultValue = "4", description = "Unacked messages per sender; default: ${DEFAULT-VALUE}")
        int window;

        @Override
        public Integer call() throws Exception {
            common.comparison().run(new ClosedLoopScenario(shape.shape(), window));
            return 0;
        }
    }

    @Command(name = "open", mixinStandardHelpOptions = true,
            description = "(b) open-loop latency at fixed total rates (coordinated omission corrected).")
    static final class Open implements Callable<Integer> {
        @Mixin Common common;
        @Mixin Shape shape;

        @Option(names = "--rate", split = ",", defaultValue = "1000,0.5x",
                description = "Total msgs/s; a value ending in x is that fraction of the standalone's closed-loop"
                        + " maximum, measured first in this run (or given by --closed-max); default: ${DEFAULT-VALUE}")
        List<String> rates;

        @Option(names = "--window", defaultValue = "4", description = "Window of the closed loop that finds the maximum")
        int window;

        @Option(names = "--closed-max", description = "The standalone's closed-loop msgs/s, instead of measuring it")
        Double closedMax;

        @Override
        public Integer call() throws Exception {
            Comparison comparison = common.comparison();
            for (String rate : rates) {
                double value;
                if (rate.endsWith("x")) {
                    if (closedMax == null) {
                        List<RunResult> closed = comparison.run(new ClosedLoopScenario(shape.shape(), window));
                        closedMax = closed.stream().filter(r -> r.target().equals("standalone")).findFirst()
                                .or(() -> closed.stream().findFirst()).orElseThrow().value("delivered msgs/s");
                    }
                    value = Double.parseDouble(rate.substring(0, rate.length() - 1)) * closedMax;
                    if (!(value > 0)) {
                        System.err.println("closed-loop maximum was " + closedMax + ": no rate to derive from "
                                + rate + "; give --closed-max");
                        return 2;
                    }
                    comparison.run(new OpenLoopScenario(shape.shape(), value,
                            rate + " of closed-loop max " + Math.round(closedMax)));
                } else {
                    value = Double.parseDouble(rate);
                    comparison.run(new OpenLoopScenario(shape.shape(), value, "fixed"));
                }
            }
            return 0;
        }
    }

    @Command(name = "idle", mixinStandardHelpOptions = true,
            description = "(c) idle authenticated connections: memory per connection, connect + login rate."
                    + " Raise the fd limit first: ulimit -n 250000.")
    static final class Idle implements Callable<Integer> {
        @Mixin Common common;

        @Option(names = "--connections", split = ",", defaultValue = "10000",
                description = "Sizes to run, each on fresh servers; default: ${DEFAULT-VALUE}")
        List<Integer> sizes;

        @Option(names = "--devices-per-user", defaultValue = "10",
                description = "Devices (connections) per user, to keep setup registrations few; default: ${DEFAULT-VALUE}")
        int devicesPerUser;

        @Option(names = "--hold", defaultValue = "5", description = "Seconds to hold before reading RSS; default: ${DEFAULT-VALUE}")
        int hold;

        @Option(names = "--parallel", defaultValue = "256", description = "Handshakes in flight; default: ${DEFAULT-VALUE}")
        int parallel;

        @Option(names = "--connections-per-process", defaultValue = "0",
                description = "Connections one generator process holds at most, the rest in helper processes;"
                        + " 0: its open-file limit less 2,000; default: ${DEFAULT-VALUE}")
        int perProcess;

        @Override
        public Integer call() throws Exception {
            Comparison comparison = common.comparison();
            for (int size : sizes) {
                comparison.run(new IdleScenario(size, devicesPerUser, Duration.ofSeconds(hold), parallel, common.work,
                        perProcess));
            }
            return 0;
        }
    }

    @Command(name = "catchup", mixinStandardHelpOptions = true,
            description = "(d) offline catch-up: a device that missed --messages syncs them (standalone only).")
    static final class Catchup implements Callable<Integer> {
        @Mixin Common common;

        @Option(names = "--messages", defaultValue = "10000", description = "Missed messages; default: ${DEFAULT-VALUE}")
        int messages;

        @Option(names = "--payload", defaultValue = "100", description = "Body bytes; default: ${DEFAULT-VALUE}")
        int payload;

        @Override
        public Integer call() throws Exception {
            common.comparison().run(new CatchupScenario(messages, payload));
            return 0;
        }
    }

    @Command(name = "group", mixinStandardHelpOptions = true,
            description = "Group fan-out: a group of --members users, --online of them connected (one device each),"
                    + " takes --rate msgs/s from its online members in turn. Measured: send -> each online member's"
                    + " Deliver and send -> the last one's per message (p99 target: under 1 s), server CPU per"
                    + " delivered copy; then a private open loop on the same server at the same copies per second"
                    + " (--private-rate) for its CPU per message. Setup is timed. Standalone only by default.")
    static final class Group implements Callable<Integer> {
        @Mixin Common common;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--members", defaultValue = "10000",
                description = "Members of the group (the server allows 10,000); default: ${DEFAULT-VALUE}")
        int members;

        @Option(names = "--online", defaultValue = "500",
                description = "Members connected, one device each; the senders are among them;"
                        + " default: ${DEFAULT-VALUE}")
        int online;

        @Option(names = "--rate", defaultValue = "10", description = "Msgs/s to the group; default: ${DEFAULT-VALUE}")
        double rate;

        @Option(names = "--private-rate", defaultValue = "-1",
                description = "Msgs/s of the private open loop after the group's, over --online connections in"
                        + " pairs; -1: the group's delivered copies per second (rate x (online - 1)); 0: no"
                        + " private run; default: ${DEFAULT-VALUE}")
        double privateRate;

        @Option(names = "--payload", defaultValue = "100", description = "Body bytes; default: ${DEFAULT-VALUE}")
        int payload;

        @Option(names = "--warmup", defaultValue = "30", description = "Warm-up seconds (each of the group and the"
                + " private run); default: ${DEFAULT-VALUE}")
        int warmup;

        @Option(names = "--measure", defaultValue = "60", description = "Measured seconds (each of the group and the"
                + " private run); default: ${DEFAULT-VALUE}")
        int measure;

        @Option(names = "--io-threads", defaultValue = "2", description = "Load generator event loops;"
                + " default: ${DEFAULT-VALUE}")
        int ioThreads;

        @Override
        public Integer call() throws Exception {
            List<String> targets = spec.commandLine().getParseResult().hasMatchedOption("--targets") ? common.targets
                    : List.of("standalone");
            double privateMsgs = privateRate < 0 ? rate * (online - 1) : privateRate;
            GroupShape shape = new GroupShape(members, online, rate, payload, Duration.ofSeconds(warmup),
                    Duration.ofSeconds(measure), ioThreads, privateMsgs);
            common.comparison(common.settings(), targets).run(new GroupScenario(shape));
            return 0;
        }
    }

    @Command(name = "cluster", mixinStandardHelpOptions = true,
            description = "The local cluster (scripts/cluster.sh: auth, user, leaf, two routers, push nodes, on"
                    + " MariaDB, Redis, RabbitMQ, Kafka) beside the relay and the standalone: closed-loop throughput"
                    + " and open-loop latency with the partners of every pair on different push nodes (every"
                    + " message crosses nodes through Kafka), and idle connections spread over --idle-push-nodes."
                    + " Fragments are named cluster-<scenario>.")
    static final class Cluster implements Callable<Integer> {
        @Mixin Common common;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--scenarios", split = ",", defaultValue = "closed,open,idle",
                description = "Which of closed, open, idle to run, in that order; default: ${DEFAULT-VALUE}")
        List<String> scenarios;

        @Option(names = "--connections", defaultValue = "200",
                description = "Connections of the closed and open loops (even); default: ${DEFAULT-VALUE}")
        int connections;

        @Option(names = "--window", defaultValue = "4", description = "Closed loop: unacked messages per sender;"
                + " default: ${DEFAULT-VALUE}")
        int window;

        @Option(names = "--rate", split = ",", defaultValue = "1000",
                description = "Open loop: total msgs/s, one run per rate; default: ${DEFAULT-VALUE}")
        List<Double> rates;

        @Option(names = "--payload", defaultValue = "100", description = "Body bytes; default: ${DEFAULT-VALUE}")
        int payload;

        @Option(names = "--warmup", defaultValue = "60", description = "Warm-up seconds; default: ${DEFAULT-VALUE}")
        int warmup;

        @Option(names = "--measure", defaultValue = "15", description = "Measured seconds; default: ${DEFAULT-VALUE}")
        int measure;

        @Option(names = "--cluster-warmup", defaultValue = "180",
                description = "Warm-up seconds of the cluster target (the relay and the standalone take --warmup):"
                        + " a dozen JVMs on two cores compile their hot code for minutes at the cluster's rate;"
                        + " default: ${DEFAULT-VALUE}")
        int clusterWarmup;

        @Option(names = "--io-threads", defaultValue = "2", description = "Load generator event loops;"
                + " default: ${DEFAULT-VALUE}")
        int ioThreads;

        @Option(names = "--idle-connections", split = ",", defaultValue = "18000,30000",
                description = "Idle sizes, each on fresh servers; a single server whose open-file limit is below"
                        + " a size sits that size out; default: ${DEFAULT-VALUE}")
        List<Integer> idleSizes;

        @Option(names = "--idle-push-nodes", defaultValue = "6",
                description = "Push nodes of the idle runs (2..9); default: ${DEFAULT-VALUE}")
        int idlePushNodes;

        @Option(names = "--devices-per-user", defaultValue = "10",
                description = "Idle: devices (connections) per user; default: ${DEFAULT-VALUE}")
        int devicesPerUser;

        @Option(names = "--hold", defaultValue = "5", description = "Idle: seconds to hold before reading memory;"
                + " default: ${DEFAULT-VALUE}")
        int hold;

        @Option(names = "--parallel", defaultValue = "256", description = "Idle: handshakes in flight per generator"
                + " process; default: ${DEFAULT-VALUE}")
        int parallel;

        @Option(names = "--connections-per-process", defaultValue = "0",
                description = "Idle: connections one generator process holds at most, the rest in helper processes;"
                        + " 0: its open-file limit less 2,000; default: ${DEFAULT-VALUE}")
        int perProcess;

        @Override
        public Integer call() throws Exception {
            List<String> targets = spec.commandLine().getParseResult().hasMatchedOption("--targets") ? common.targets
                    : List.of("relay", "standalone", "cluster");
            TargetSettings settings = common.settings();
            Comparison paired = common.comparison(settings, targets);
            LoadShape shape = new LoadShape(connections, payload, Duration.ofSeconds(warmup),
                    Duration.ofSeconds(measure), ioThreads);
            LoadShape clusterShape = new LoadShape(connections, payload, Duration.ofSeconds(clusterWarmup),
                    Duration.ofSeconds(measure), ioThreads);
            if (scenarios.contains("closed")) {
                paired.run(new InCluster(new ClosedLoopScenario(shape, window),
                        new ClosedLoopScenario(clusterShape, window), clusterWarmup));
            }
            if (scenarios.contains("open")) {
                for (double rate : rates) {
                    paired.run(new InCluster(new OpenLoopScenario(shape, rate, "fixed"),
                            new OpenLoopScenario(clusterShape, rate, "fixed"), clusterWarmup));
                }
            }
            if (scenarios.contains("idle")) {
                Comparison idle = common.comparison(settings.withClusterPushNodes(idlePushNodes), targets);
                for (int size : idleSizes) {
                    IdleScenario held = new IdleScenario(size, devicesPerUser, Duration.ofSeconds(hold), parallel,
                            common.work, perProcess);
                    idle.run(new InCluster(held, held, 0));
                }
            }
            return 0;
        }
    }

    /**
     * A scenario of the cluster command: its own fragment name, so the single-node fragments stay,
     * and the cluster target's own form of it (its longer warm-up; 0 when it has none).
     */
    record InCluster(Scenario scenario, Scenario onCluster, int clusterWarmupSeconds) implements Scenario {
        @Override
        public String name() {
            return "cluster-" + scenario.name();
        }

        @Override
        public String description() {
            return scenario.description()
                    + (clusterWarmupSeconds > 0 ? "; the cluster after a " + clusterWarmupSeconds + " s warm-up" : "");
        }

        @Override
        public boolean supports(Target target) {
            return scenario.supports(target);
        }

        @Override
        public RunResult run(Target target, Progress progress) throws Exception {
            return (target instanceof ClusterTarget ? onCluster : scenario).run(target, progress);
        }
    }

    @Command(name = "engines", mixinStandardHelpOptions = true,
            description = "The router's write of a message on the standalone's embedded engines (H2, SQLite), "
                    + "side by side in this JVM: CPU and garbage per message, one by one and in batches.")
    static final class Engines implements Callable<Integer> {
        @Option(names = "--batches", split = ",", defaultValue = "1,1000",
                description = "Messages per commit; default: ${DEFAULT-VALUE}")
        List<Integer> batches;

        @Option(names = "--messages", defaultValue = "20000", description = "Measured messages; default: ${DEFAULT-VALUE}")
        int messages;

        @Option(names = "--warmup-messages", defaultValue = "20000",
                description = "Messages written first, not measured; default: ${DEFAULT-VALUE}")
        int warmup;

        @Option(names = "--conversations", defaultValue = "500", description = "Conversations; default: ${DEFAULT-VALUE}")
        int conversations;

        @Option(names = "--payload", defaultValue = "100", description = "Body bytes; default: ${DEFAULT-VALUE}")
        int payload;

        @Option(names = "--out", defaultValue = "bench/results",
                description = "Directory for the report fragment; default: ${DEFAULT-VALUE}")
        Path out;

        @Option(names = "--work", defaultValue = "bench/target/bench-work",
                description = "Where the databases are made; default: ${DEFAULT-VALUE}")
        Path work;

        // Held: java.util.logging keeps loggers weakly, and a collected one forgets its level.
        private static final java.util.logging.Logger FLYWAY = java.util.logging.Logger.getLogger("org.flywaydb");

        @Override
        public Integer call() throws Exception {
            FLYWAY.setLevel(java.util.logging.Level.WARNING);  // one migration per database, not news
            StringBuilder table = new StringBuilder("| engine | messages per commit | wall µs per msg | CPU µs per msg "
                    + "| allocated bytes per msg | rows stored |\n|---|---:|---:|---:|---:|---:|\n");
            for (int batch : batches) {
                for (StoreEngines.Engine engine : StoreEngines.Engine.values()) {
                    Files.createDirectories(work);
                    Path dir = Files.createTempDirectory(work, "engines-" + engine.name().toLowerCase() + "-");
                    StoreEngines.Result r = StoreEngines.measure(engine, dir, conversations, batch, warmup, messages, payload);
                    String row = String.format("| %s | %,d | %.1f | %.1f | %,.0f | %,d |%n", engine, batch,
                            r.wallMicros(), r.cpuMicros(), r.allocatedBytes(), r.stored());
                    System.out.print(row);
                    table.append(row);
                }
            }
            Files.createDirectories(out);
            Files.writeString(out.resolve("engines.md"), "### engines\n\nThe router's write of one message "
                    + "(insert, conversation seq and device number moved by compare-and-set, device and member "
                    + "cursors moved), on the standalone's two embedded engines in one thread, " + conversations
                    + " conversations, " + payload + "-byte bodies, " + warmup + " messages written before "
                    + messages + " measured.\n\n`" + commandLine + "`\n\n" + table + "\n");
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Assemble RESULTS.md from the fragments the scenario commands left in --out, each "
                    + "followed by its hand-written <name>.notes.md when there is one.")
    static final class Report implements Callable<Integer> {
        private static final String NOTES = ".notes.md";

        @Option(names = "--out", defaultValue = "bench/results", description = "Fragments directory; default: ${DEFAULT-VALUE}")
        Path out;

        @Option(names = "--file", defaultValue = "bench/RESULTS.md", description = "The report; default: ${DEFAULT-VALUE}")
        Path file;

        @Override
        public Integer call() throws Exception {
            List<Path> fragments = new ArrayList<>();
            try (Stream<Path> files = Files.list(out)) {
                files.filter(p -> p.toString().endsWith(".md") && !p.toString().endsWith(NOTES)
                        && !p.getFileName().toString().startsWith("_"))
                        .sorted((a, b) -> order(a).compareTo(order(b))).forEach(fragments::add);
            }
            StringBuilder md = new StringBuilder();
            Path header = out.resolve("_header.md");
            if (Files.exists(header)) {
                md.append(Files.readString(header)).append('\n');
            }
            md.append("## Machine\n\n").append(MachineInfo.describe()).append('\n');
            md.append("## Results\n\n");
            for (Path fragment : fragments) {
                md.append(Files.readString(fragment)).append('\n');
                // What people wrote about a scenario's runs: kept apart, so a new run replaces the
                // fragment without taking the commentary with it.
                Path notes = fragment.resolveSibling(fragment.getFileName().toString().replace(".md", NOTES));
                if (Files.exists(notes)) {
                    md.append(Files.readString(notes)).append('\n');
                }
            }
            Path notes = out.resolve("_notes.md");
            if (Files.exists(notes)) {
                md.append(Files.readString(notes)).append('\n');
            }
            Files.writeString(file, md.toString());
            System.out.println("wrote " + file + " from " + fragments.size() + " fragments");
            return 0;
        }

        /** Scenario order of the issue; idle sizes numerically, the rest by name (1000x4 before 100x1). */
        private static String order(Path p) {
            return order(p.getFileName().toString());
        }

        /**
         * The group runs after catch-up, their summary (groups.md) after them; the cluster command's
         * fragments after all others, in the same order, its summary (cluster.md) last.
         */
        private static String order(String name) {
            if (name.startsWith("cluster-")) {
                return "7" + order(name.substring("cluster-".length()));
            }
            if (name.equals("cluster.md")) {
                return "79";
            }
            if (name.startsWith("group-")) {
                return "51" + name;
            }
            if (name.equals("groups.md")) {
                return "59";
            }
            String rank = name.startsWith("closed") ? "1" : name.startsWith("open") ? "2" : name.startsWith("idle")
                    ? "3" : name.startsWith("catchup") ? "4" : "6";
            if (rank.equals("3")) {
                String digits = name.replaceAll("\\D", "");
                return rank + String.format("%012d", digits.isEmpty() ? 0 : Long.parseLong(digits));
            }
            return rank + name;
        }
    }
}
