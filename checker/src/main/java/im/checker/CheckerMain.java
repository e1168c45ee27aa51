package im.checker;

import im.checker.scenario.CheckerReport;
import im.checker.scenario.CheckerSettings;
import im.checker.scenario.GroupWorkload;
import im.checker.scenario.ReliableDeliveryScenario;
import im.checker.system.CheckedSystem;
import im.checker.system.ClusterFault;
import im.checker.system.ClusterSystem;
import im.checker.system.StandaloneSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the reliable-delivery scenario against the packaged standalone app (default) or the local
 * cluster ({@code --cluster}) and exits 0 only when no message was lost, shown twice or shown out
 * of order, and every send was acknowledged.
 */
@Command(name = "im-checker", mixinStandardHelpOptions = true,
        description = "Fault-injection check of the reliable-delivery promise against the standalone app"
                + " or, with --cluster, the local cluster of scripts/cluster.sh.")
public final class CheckerMain implements Callable<Integer> {

    @Option(names = "--users", defaultValue = "6", description = "Users, paired into 1:1 conversations and put into"
            + " --groups (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--devices-per-user", defaultValue = "2", description = "Devices per user (default ${DEFAULT-VALUE}).")
    int devicesPerUser;

    @Option(names = "--groups", defaultValue = "2", description = "Groups, made before the faults start with"
            + " --group-size consecutive users each (wrapping), fixed for the run; 0: private chats only"
            + " (default ${DEFAULT-VALUE}).")
    int groups;

    @Option(names = "--group-size", defaultValue = "4", description = "Members of each group (default ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--group-share", defaultValue = "0.3", description = "Probability that a send of a user in a"
            + " group goes to one of its groups instead of a partner (default ${DEFAULT-VALUE}).")
    double groupShare;

    @Option(names = "--messages", defaultValue = "600", description = "Sends in total (default ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--rate", defaultValue = "100", description = "Sends started per second at most (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--max-in-flight", defaultValue = "100", description = "Unacknowledged sends at most (default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--drop-rate", defaultValue = "0.02", description = "Probability a frame is dropped, per frame and direction (default ${DEFAULT-VALUE}).")
    double dropRate;

    @Option(names = "--delay-rate", defaultValue = "0.05", description = "Probability a frame is delayed (default ${DEFAULT-VALUE}).")
    double delayRate;

    @Option(names = "--max-delay-ms", defaultValue = "1500", description = "Longest delay of a delayed frame (default ${DEFAULT-VALUE}).")
    long maxDelayMs;

    @Option(names = "--kill-rate", defaultValue = "0.002", description = "Probability the connection is cut at a frame (default ${DEFAULT-VALUE}).")
    double killRate;

    @Option(names = "--kills-per-second", defaultValue = "0", description = "Random connections cut per second besides per-frame cuts (default ${DEFAULT-VALUE}).")
    double killsPerSecond;

    @Option(names = "--restarts", defaultValue = "1", description = "Faults during the sends, spread evenly: server"
            + " restarts, or with --cluster the --cluster-faults in turn (default ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--kill-restarts", description = "Restart the standalone server with SIGKILL instead of SIGTERM.")
    boolean killRestarts;

    @Option(names = "--cluster", description = "Run against the local cluster (scripts/cluster.sh: two routers,"
            + " two push nodes, MariaDB, Redis, RabbitMQ, Kafka) instead of the standalone app.")
    boolean cluster;

    @Option(names = "--cluster-faults", split = ",", defaultValue = ClusterFault.CYCLE_NAMES,
            converter = ClusterFaultConverter.class,
            description = "With --cluster: the faults injected in turn, from push-1, push-2, router-1, router-2"
                    + " (kill -9, then start), redis, rabbitmq, kafka (restart) (default ${DEFAULT-VALUE}).")
    List<ClusterFault> clusterFaults;

    @Option(names = "--repository", defaultValue = ".", description = "With --cluster: the project's root, where"
            + " scripts/cluster.sh is (default: the current directory).")
    Path repository;

    @Option(names = "--seed", description = "Seed of every random choice (default: random, printed).")
    Long seed;

    @Option(names = "--settle-timeout-s", defaultValue = "180", description = "Seconds allowed, after faults stop, for acks and for catch-up, each (default ${DEFAULT-VALUE}).")
    long settleTimeoutSeconds;

    @Option(names = "--app", description = "The standalone app's quarkus-run.jar (default: system property "
            + StandaloneProcess.APP_PROPERTY + " or services/standalone/target/quarkus-app/quarkus-run.jar).")
    Path app;

    @Option(names = "--work", defaultValue = "target/checker", description = "Directory for the server's data and log,"
            + " or the cluster's pids and node logs (default ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--server-heap", defaultValue = "512m", description = "The server's -Xmx (default ${DEFAULT-VALUE}).")
    String serverHeap;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CheckerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CheckerSettings settings = settings();
        CheckerReport report = new ReliableDeliveryScenario(settings, system(settings), System.out).run();
        report.print(System.out);
        return report.passed() ? 0 : 1;
    }

    CheckedSystem system(CheckerSettings settings) {
        if (cluster) {
            return new ClusterSystem(repository, settings.work(), clusterFaults);
        }
        return new StandaloneSystem(settings.app(), settings.work(), settings.serverHeap(), settings.killRestarts());
    }

    CheckerSettings settings() {
        Path appPath = app != null ? app : Path.of(System.getProperty(StandaloneProcess.APP_PROPERTY,
                "services/standalone/target/quarkus-app/quarkus-run.jar"));
        long chosenSeed = seed != null ? seed : new java.security.SecureRandom().nextLong();
        return new CheckerSettings(users, devicesPerUser, new GroupWorkload(groups, groupSize, groupShare), messages, rate, maxInFlight, dropRate, delayRate,
                maxDelayMs, killRate, killsPerSecond, restarts, killRestarts, chosenSeed,
                Duration.ofSeconds(settleTimeoutSeconds), appPath, work, serverHeap);
    }

    static final class ClusterFaultConverter implements CommandLine.ITypeConverter<ClusterFault> {
        @Override
        public ClusterFault convert(String value) {
            return ClusterFault.named(value);
        }
    }
}
