package im.bench.scenario;

import im.bench.load.Conn;
import im.bench.load.Identity;
import im.bench.load.LoadClient;
import im.bench.server.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * (c) idle authenticated connections: connect and Hello {@code connections} devices, hold them,
 * and read what they cost the server in resident memory; also the connect + login rate.
 * Connections bind to several 127.0.0.x source addresses so that more than one address's
 * ephemeral ports (about 28k) can be used.
 */
public final class IdleScenario implements Scenario {

    /** Connections per source address: below the default ephemeral range (32768..60999). */
    static final int PER_SOURCE_ADDRESS = 20_000;

    private final int connections;
    private final int devicesPerUser;
    private final Duration settle;
    private final int parallelHandshakes;

    public IdleScenario(int connections, int devicesPerUser, Duration settle, int parallelHandshakes) {
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
    }

    @Override
    public String name() {
        return "idle-" + connections;
    }

    @Override
    public String description() {
        return String.format("%,d idle authenticated connections (%d devices per user, %d bound source addresses), "
                + "held %d s before reading memory", connections, devicesPerUser, sourceAddresses().size(),
                settle.toSeconds());
    }

    /**
     * Empty (let connect pick the port) while one address's ephemeral ports suffice: a bound
     * source port is chosen without regard to the destination and collides with the previous
     * run's sockets still in TIME_WAIT. Beyond that, 127.0.0.2 onwards (connects without a bind
     * use 127.0.0.1).
     */
    List<String> sourceAddresses() {
        List<String> addresses = new ArrayList<>();
        if (connections <= PER_SOURCE_ADDRESS) {
            return addresses;
        }
        int count = (connections + PER_SOURCE_ADDRESS - 1) / PER_SOURCE_ADDRESS;
        for (int i = 2; i < 2 + count; i++) {
            addresses.add("127.0.0." + i);
        }
        return addresses;
    }

    @Override
    public RunResult run(Target target, Progress progress) throws Exception {
        long limit = openFileLimit();
        if (limit > 0 && connections + 1000 > limit) {
            // One descriptor per connection in this process (and one in the server, which inherits the limit).
            throw new IllegalStateException("open-file limit " + limit + " is too low for " + connections
                    + " connections: raise it (ulimit -n) or run fewer");
        }
        RunResult result = new RunResult(name(), target.name());
        int users = (connections + devicesPerUser - 1) / devicesPerUser;
        progress.line(String.format("[%s %s] setting up %,d users", name(), target.name(), users));
        List<Identity> identities = target.identities(users, devicesPerUser, false).subList(0, connections);
        try (LoadClient client = new LoadClient(2)) {
            long heapBefore = target.liveHeapBytes();
            long rssBefore = target.rssBytes();
            double cpuBefore = target.cpuSeconds();
            long start = System.nanoTime();
            long[] lastPrint = {start};
            List<Conn> conns = client.connectAll(target.tcp(), identities, parallelHandshakes, sourceAddresses(),
                    done -> {
                        long now = System.nanoTime();
                        if (now - lastPrint[0] > TimeUnit.SECONDS.toNanos(1)) {
                            lastPrint[0] = now;
                            progress.line(String.format("[%s %s] connecting: %,d/%,d started, server RSS %,d MiB",
                                    name(), target.name(), done, connections, target.rssBytes() >> 20));
                        }
                    });
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            double connectCpu = target.cpuSeconds() - cpuBefore;
            for (long s = 1; s <= settle.toSeconds(); s++) {
                TimeUnit.SECONDS.sleep(1);
                progress.line(String.format("[%s %s] holding %d/%d s: %,d open, server RSS %,d MiB", name(),
                        target.name(), s, settle.toSeconds(), open(conns), target.rssBytes() >> 20));
            }
            long rssAfter = target.rssBytes();
            long heapAfter = target.liveHeapBytes();
            int open = open(conns);
            result.figure("connections held", open, "", true);
            result.figure("connect + login rate", connections / connectSeconds, "conn/s", true);
            result.figure("server CPU per connect + login", connectCpu * 1e6 / connections, "µs", false);
            result.figure("server RSS before", rssBefore / 1048576.0, "MiB", false);
            result.figure("server RSS holding", rssAfter / 1048576.0, "MiB", false);
            result.figure("memory per connection (RSS)", (rssAfter - rssBefore) / 1024.0 / Math.max(1, open), "KiB",
                    false);
            if (heapBefore > 0 && heapAfter > 0) {
                result.figure("live heap before", heapBefore / 1048576.0, "MiB", false);
                result.figure("live heap holding", heapAfter / 1048576.0, "MiB", false);
                result.figure("live heap per connection", (heapAfter - heapBefore) / 1024.0 / Math.max(1, open),
                        "KiB", false);
            }
            conns.forEach(Conn::close);
        }
        return result;
    }

    /** The soft "Max open files" of this process, or -1 when unknown. */
    static long openFileLimit() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static int open(List<Conn> conns) {
        int open = 0;
        for (Conn conn : conns) {
            if (conn.channel().isActive()) {
                open++;
            }
        }
        return open;
    }
}
