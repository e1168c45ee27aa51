package im.bench.scenario;

import im.bench.load.HeldConnections;
import im.bench.load.Identity;
import im.bench.server.ProcStats;
import im.bench.server.Target;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * (c) idle authenticated connections: connect and Hello {@code connections} devices, hold them,
 * and read what they cost the server in resident memory; also the connect + login rate. Memory
 * is read from the processes that hold connections (a cluster's push nodes, each also reported
 * on its own). Connections bind to several 127.0.0.x source addresses so that more than one
 * address's ephemeral ports (about 28k) can be used towards one server, and past one process's
 * open-file limit the generator holds them in helper processes.
 */
public final class IdleScenario implements Scenario {

    /** Connections per source address: below the default ephemeral range (32768..60999). */
    static final int PER_SOURCE_ADDRESS = 20_000;
    /** Descriptors a JVM needs besides its sockets (jars, pipes, epoll). */
    private static final int SPARE_DESCRIPTORS = 2_000;
    /** The window "server CPU holding them at rest" (and without the JIT compiler) is read in, after the hold. */
    private static final long REST_SECONDS = 20;

    private final int connections;
    private final int devicesPerUser;
    private final Duration settle;
    private final int parallelHandshakes;
    private final Path workDir;
    private final int maxPerProcess;

    public IdleScenario(int connections, int devicesPerUser, Duration settle, int parallelHandshakes) {
        this(connections, devicesPerUser, settle, parallelHandshakes, Path.of("bench/target/bench-work"), 0);
    }

    /**
     * @param workDir where the helper processes' identity files are written (and deleted once read)
     * @param maxPerProcess connections one generator process holds at most; 0: what its open-file limit allows
     */
    public IdleScenario(int connections, int devicesPerUser, Duration settle, int parallelHandshakes, Path workDir,
            int maxPerProcess) {
        if (connections < 1 || connections > 1_000_000) {
            throw new IllegalArgumentException("connections must be 1..1000000, got " + connections);
        }
        if (devicesPerUser < 1 || devicesPerUser > 1000) {
            throw new IllegalArgumentException("devices per user must be 1..1000, got " + devicesPerUser);
        }
        this.connections = connections;
        this.devicesPerUser = devicesPerUser;
        this.settle = settle;
        this.parallelHandshakes = parallelHandshakes;
        this.workDir = workDir;
        this.maxPerProcess = maxPerProcess;
    }

    @Override
    public String name() {
        return "idle-" + connections;
    }

    @Override
    public String description() {
        return String.format("%,d idle authenticated connections (%d devices per user; the generator holds at most "
                + "%,d per process), held %d s, then %d s at rest before reading memory", connections, devicesPerUser,
                perProcess(), settle.toSeconds(), REST_SECONDS);
    }

    /** A server process whose open-file limit is below its share of the connections cannot take part. */
    @Override
    public boolean supports(Target target) {
        Map<String, Long> holders = target.connectionHolders();
        long share = (connections + holders.size() - 1) / holders.size();
        for (long pid : holders.values()) {
            long limit = ProcStats.openFileLimit(pid);
            if (limit > 0 && share + 1000 > limit) {
                return false;
            }
        }
        return true;
    }

    /** Connections one generator process opens: its open-file limit less what a JVM needs besides. */
    int perProcess() {
        long limit = openFileLimit();
        int allowed = limit <= 0 ? connections : (int) Math.max(1_000, Math.min(connections, limit - SPARE_DESCRIPTORS));
        return maxPerProcess > 0 ? Math.min(maxPerProcess, allowed) : allowed;
    }

    /**
     * Empty (let connect pick the port) while one address's ephemeral ports suffice towards each
     * server: a bound source port is chosen without regard to the destination and collides with
     * the previous run's sockets still in TIME_WAIT. Beyond that, 127.0.0.2 onwards (connects
     * without a bind use 127.0.0.1).
     */
    List<String> sourceAddresses(int servers) {
        List<String> addresses = new ArrayList<>();
        int perServer = (connections + servers - 1) / servers;
        if (perServer <= PER_SOURCE_ADDRESS) {
            return addresses;
        }
        int count = (perServer + PER_SOURCE_ADDRESS - 1) / PER_SOURCE_ADDRESS;
        for (int i = 2; i < 2 + count; i++) {
            addresses.add("127.0.0." + i);
        }
        return addresses;
    }

    @Override
    public RunResult run(Target target, Progress progress) throws Exception {
        RunResult result = new RunResult(name(), target.name());
        int users = (connections + devicesPerUser - 1) / devicesPerUser;
        progress.line(String.format("[%s %s] setting up %,d users", name(), target.name(), users));
        List<Identity> identities = target.identities(users, devicesPerUser, false).subList(0, connections);
        Map<String, Long> holders = target.connectionHolders();
        Map<String, Long> heapBefore = liveHeap(holders);
        Map<String, Long> rssBefore = rss(holders);
        double cpuBefore = target.cpuSeconds();
        long start = System.nanoTime();
        long[] lastPrint = {start};
        try (HeldConnections held = HeldConnections.connect(target::tcp, identities, parallelHandshakes,
                perProcess(), sourceAddresses(servers(target)), workDir, done -> {
                    long now = System.nanoTime();
                    if (now - lastPrint[0] > TimeUnit.SECONDS.toNanos(1)) {
                        lastPrint[0] = now;
                        progress.line(String.format("[%s %s] connecting: %,d/%,d started, server RSS %,d MiB",
                                name(), target.name(), done, connections, target.rssBytes() >> 20));
                    }
                })) {
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            double connectCpu = target.cpuSeconds() - cpuBefore;
            for (long s = 1; s <= settle.toSeconds(); s++) {
                TimeUnit.SECONDS.sleep(1);
                progress.line(String.format("[%s %s] holding %d/%d s: %,d open, server RSS %,d MiB", name(),
                        target.name(), s, settle.toSeconds(), held.open(), target.rssBytes() >> 20));
            }
            // What holding them costs when nobody sends: the devices' heartbeats (one Ping per
            // connection per heartbeat interval) and whatever the server runs by itself.
            RestCpu rest = RestCpu.measure(target, REST_SECONDS);
            Map<String, Long> rssAfter = rss(holders);
            Map<String, Long> heapAfter = liveHeap(holders);
            int open = held.open();
            result.figure("connections held", open, "", true);
            result.figure("load generator processes", held.processes(), "", false);
            result.figure("connect + login rate", connections / connectSeconds, "conn/s", true);
            result.figure("server CPU per connect + login", connectCpu * 1e6 / connections, "µs", false);
            result.figure("server CPU holding them at rest", rest.cores(), "cores", false);
            result.figure(RestCpu.FIGURE_WITHOUT_COMPILER, rest.coresWithoutCompiler(), "cores", false);
            if (holders.size() > 1) {
                result.figure("processes holding connections", holders.size(), "", false);
            }
            long rss0 = sum(rssBefore);
            long rss1 = sum(rssAfter);
            result.figure("server RSS before", rss0 / 1048576.0, "MiB", false);
            result.figure("server RSS holding", rss1 / 1048576.0, "MiB", false);
            result.figure("memory per connection (RSS)", (rss1 - rss0) / 1024.0 / Math.max(1, open), "KiB", false);
            boolean heapRead = !heapBefore.containsValue(-1L) && !heapAfter.containsValue(-1L);
            if (heapRead) {
                long heap0 = sum(heapBefore);
                long heap1 = sum(heapAfter);
                result.figure("live heap before", heap0 / 1048576.0, "MiB", false);
                result.figure("live heap holding", heap1 / 1048576.0, "MiB", false);
                result.figure("live heap per connection", (heap1 - heap0) / 1024.0 / Math.max(1, open), "KiB", false);
            }
            if (holders.size() > 1) {
                // Connections go round-robin over the holders, so each holds its share.
                double share = open / (double) holders.size();
                for (String holder : holders.keySet()) {
                    result.notes().add(String.format("%s %s: RSS %,.0f -> %,.0f MiB (%.2f KiB per connection)%s",
                            target.name(), holder, rssBefore.get(holder) / 1048576.0,
                            rssAfter.get(holder) / 1048576.0,
                            (rssAfter.get(holder) - rssBefore.get(holder)) / 1024.0 / Math.max(1, share),
                            heapRead ? String.format(", live heap %,.1f -> %,.1f MiB (%.2f KiB per connection)",
                                    heapBefore.get(holder) / 1048576.0, heapAfter.get(holder) / 1048576.0,
                                    (heapAfter.get(holder) - heapBefore.get(holder)) / 1024.0 / Math.max(1, share))
                                    : ""));
                }
            }
        }
        return result;
    }

    private int servers(Target target) {
        Set<InetSocketAddress> servers = new HashSet<>();
        for (int i = 0; i < Math.min(connections, 64); i++) {
            servers.add(target.tcp(i));
        }
        return servers.size();
    }

    private static Map<String, Long> rss(Map<String, Long> processes) {
        Map<String, Long> out = new LinkedHashMap<>();
        processes.forEach((name, pid) -> out.put(name, ProcStats.rssBytes(pid)));
        return out;
    }

    private static Map<String, Long> liveHeap(Map<String, Long> processes) {
        Map<String, Long> out = new LinkedHashMap<>();
        processes.forEach((name, pid) -> out.put(name, ProcStats.liveHeapBytes(pid)));
        return out;
    }

    private static long sum(Map<String, Long> values) {
        long sum = 0;
        for (long v : values.values()) {
            sum += v;
        }
        return sum;
    }

    /** The soft "Max open files" of this process, or -1 when unknown. */
    static long openFileLimit() {
        return ProcStats.openFileLimit(ProcessHandle.current().pid());
    }
}
