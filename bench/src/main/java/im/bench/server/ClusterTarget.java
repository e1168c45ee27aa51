package im.bench.server;

import im.bench.load.Identity;
import im.checker.LocalCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local cluster of {@code scripts/cluster.sh} (auth, user, leaf, two routers, push-1..push-N,
 * each its own JVM, on MariaDB, Redis, RabbitMQ and Kafka), started through the checker's
 * {@link LocalCluster} under a name and port range of its own and dropped at close.
 *
 * <p>Load connections go round-robin over the push nodes, so the partners of a pair (who send to
 * each other) are always on different nodes and every message crosses nodes through Kafka. The
 * server's CPU is the sum over every node and the brokers and stores they use (those are shared
 * with anything else on the machine: measure on a quiet one); its RSS the sum over the nodes;
 * memory per connection is read from the push nodes alone.
 */
public final class ClusterTarget implements Target {

    /** Where scripts/infra.sh runs the backing services; their processes are found by these ports. */
    private static final Map<String, Integer> BACKING_PORTS = backingPorts();
    /** The auth node's Argon2 cost, as StandaloneTarget sets it for a cheap setup. */
    private static final String CHEAP_HASHING_MEMORY = "IM_AUTH_PASSWORD_MEMORY_KIB";
    private static final String CHEAP_HASHING_ITERATIONS = "IM_AUTH_PASSWORD_ITERATIONS";
    private static final Pattern SS_PID = Pattern.compile("pid=(\\d+)");

    private final LocalCluster cluster;
    private final List<InetSocketAddress> push;
    private final Map<String, Long> nodes;
    private final Map<String, Long> pushNodes;
    private final Map<String, Long> processes;
    private final List<String> startedHere;
    private final RestUsers users;
    /** Stops the cluster if the bench is stopped (SIGTERM, Ctrl-C) while it runs: eleven JVMs are not left behind. */
    private final Thread stopOnExit;

    private ClusterTarget(LocalCluster cluster, List<InetSocketAddress> push, Map<String, Long> nodes,
            Map<String, Long> backing, List<String> startedHere) {
        this.cluster = cluster;
        this.push = List.copyOf(push);
        this.nodes = Collections.unmodifiableMap(nodes);
        Map<String, Long> pushPids = new LinkedHashMap<>();
        nodes.forEach((node, pid) -> {
            if (node.startsWith("push-")) {
                pushPids.put(node, pid);
            }
        });
        this.pushNodes = Collections.unmodifiableMap(pushPids);
        Map<String, Long> all = new LinkedHashMap<>(nodes);
        all.putAll(backing);
        this.processes = Collections.unmodifiableMap(all);
        this.startedHere = startedHere;
        this.users = new RestUsers(cluster.rest(Duration.ofSeconds(60)));
        this.stopOnExit = new Thread(() -> stopQuietly(cluster, startedHere), "cluster-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts the cluster with {@link TargetSettings#clusterPushNodes} push nodes: {@code up}
     * starts the two of cluster.sh's default, then push-3.. one by one (the script numbers their
     * ports from the same base). Each node's heap is cluster.sh's {@code IM_CLUSTER_HEAP}, read
     * from this process's environment.
     */
    public static ClusterTarget start(TargetSettings settings) throws IOException, InterruptedException {
        if (settings.cheapSetupHashing() && System.getenv(CHEAP_HASHING_MEMORY) == null) {
            // LocalCluster hands the nodes this process's environment and nothing else.
            System.err.println("cluster: auth hashes setup passwords at its production cost; for the standalone's"
                    + " setup cost run the bench with " + CHEAP_HASHING_MEMORY + "=1024 " + CHEAP_HASHING_ITERATIONS
                    + "=1 in its environment");
        }
        LocalCluster cluster = new LocalCluster(settings.repository(), settings.workDir());
        List<String> startedHere = new ArrayList<>();
        try {
            cluster.up();
            for (int n = 3; n <= settings.clusterPushNodes(); n++) {
                String node = "push-" + n;
                if (!Files.exists(pidFile(cluster, node))) {
                    startedHere.add(node);
                    cluster.start(node);
                }
            }
            // cluster.sh: push node n listens for TCP clients at base + 20 + n.
            int firstPort = cluster.pushTcp(1).getPort();
            List<InetSocketAddress> push = new ArrayList<>();
            Map<String, Long> nodes = new LinkedHashMap<>();
            for (String node : List.of("auth", "user", "leaf", "router-1", "router-2")) {
                nodes.put(node, readPid(cluster, node));
            }
            for (int n = 1; n <= settings.clusterPushNodes(); n++) {
                push.add(new InetSocketAddress("127.0.0.1", firstPort + n - 1));
                nodes.put("push-" + n, readPid(cluster, "push-" + n));
            }
            return new ClusterTarget(cluster, push, nodes, backingProcesses(), startedHere);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stopQuietly(cluster, startedHere);
            throw e;
        }
    }

    @Override
    public String name() {
        return "cluster";
    }

    /** Push-1's listener. */
    @Override
    public InetSocketAddress tcp() {
        return push.get(0);
    }

    @Override
    public InetSocketAddress tcp(int index) {
        return push.get(Math.floorMod(index, push.size()));
    }

    public int pushNodeCount() {
        return push.size();
    }

    @Override
    public boolean stores() {
        return true;
    }

    @Override
    public List<Identity> identities(int users, int devicesPerUser, boolean pairFriends) throws Exception {
        return this.users.identities(users, devicesPerUser, pairFriends);
    }

    @Override
    public BenchGroup group(int members, int online, Consumer<String> progress) throws Exception {
        return this.users.group(members, online, progress);
    }

    @Override
    public long pid() {
        return nodes.get("push-1");
    }

    @Override
    public Map<String, Long> processes() {
        return processes;
    }

    @Override
    public Map<String, Long> connectionHolders() {
        return pushNodes;
    }

    /** Every node and backing service. */
    @Override
    public double cpuSeconds() {
        double sum = 0;
        for (long pid : processes.values()) {
            sum += ProcStats.cpuSeconds(pid);
        }
        return sum;
    }

    /** Every node and backing service, as {@link #cpuSeconds()}: the JVMs among them have compiler threads. */
    @Override
    public ThreadCpu compilerCpu() {
        ThreadCpu sum = new ThreadCpu(Map.of(), true);
        for (long pid : processes.values()) {
            sum = sum.plus(ProcStats.compilerThreadCpu(pid));
        }
        return sum;
    }

    /** The nodes' JVMs (the backing services are not the cluster's own and hold more than its data). */
    @Override
    public long rssBytes() {
        long sum = 0;
        for (long pid : nodes.values()) {
            sum += Math.max(0, ProcStats.rssBytes(pid));
        }
        return sum;
    }

    /** The push nodes' live heap (the processes that hold connections), -1 when one cannot be read. */
    @Override
    public long liveHeapBytes() {
        long sum = 0;
        for (long pid : pushNodes.values()) {
            long heap = ProcStats.liveHeapBytes(pid);
            if (heap < 0) {
                return -1;
            }
            sum += heap;
        }
        return sum;
    }

    /** Where the cluster's node logs are. */
    public Path dir() {
        return cluster.dir();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            return;  // the hook stops it
        }
        stopQuietly(cluster, startedHere);
    }

    /** The push nodes beyond cluster.sh's count first (its {@code down} knows only its own), then the rest. */
    private static void stopQuietly(LocalCluster cluster, List<String> startedHere) {
        try {
            for (int i = startedHere.size() - 1; i >= 0; i--) {
                cluster.stop(startedHere.get(i));
            }
            cluster.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("cluster " + cluster.name() + " did not stop cleanly: " + e.getMessage()
                    + " (pid files in " + cluster.dir() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path pidFile(LocalCluster cluster, String node) {
        return cluster.dir().resolve(node + ".pid");
    }

    private static long readPid(LocalCluster cluster, String node) throws IOException {
        return Long.parseLong(Files.readString(pidFile(cluster, node)).trim());
    }

    private static Map<String, Integer> backingPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("kafka", 9092);
        ports.put("redis", 6379);
        ports.put("mariadb", 3306);
        ports.put("rabbitmq", 5672);
        return Collections.unmodifiableMap(ports);
    }

    /** The process listening on each backing port, by {@code ss}; a service not found is left out. */
    static Map<String, Long> backingProcesses() throws IOException, InterruptedException {
        Map<String, Long> found = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> service : BACKING_PORTS.entrySet()) {
            Process ss = new ProcessBuilder("ss", "-ltnpH", "sport = :" + service.getValue())
                    .redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes());
            if (!ss.waitFor(10, TimeUnit.SECONDS)) {
                ss.destroyForcibly();
                continue;
            }
            Matcher pid = SS_PID.matcher(out);
            if (pid.find()) {
                found.put(service.getKey(), Long.parseLong(pid.group(1)));
            }
        }
        return found;
    }
}
