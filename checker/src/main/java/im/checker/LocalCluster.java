package im.checker;

import im.client.sdk.ImRestClient;
import im.client.sdk.ServerTrust;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster of {@code scripts/cluster.sh} (auth, user, leaf, two routers, two push nodes,
 * each its own JVM, on MariaDB, Redis, RabbitMQ and Kafka), driven from Java: the same script a
 * user runs, so tests exercise exactly that layout. Each instance gets a name of its own (its
 * databases, Redis keys, Kafka topics and RabbitMQ queues) and a port range of its own, so it never
 * meets a cluster the user runs on this machine, and {@link #close} drops what it made.
 */
public final class LocalCluster implements AutoCloseable {

    /** The push nodes, in the order {@link #pushTcp(int)} numbers them (1-based). */
    public static final List<String> PUSH_NODES = List.of("push-1", "push-2");
    public static final List<String> ROUTERS = List.of("router-1", "router-2");

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(6);
    // Below Linux's ephemeral range (32768+), like StandaloneProcess's ports; a block of 60 each
    // (cluster.sh uses base+1 .. base+54).
    private static final int PORT_FLOOR = 20_000;
    private static final int PORT_BLOCKS = 200;

    private final Path script;
    private final Path dir;
    private final String name;
    private final int portBase;
    private Map<String, String> endpoints = Map.of();

    /**
     * @param repository the project's root (where {@code scripts/cluster.sh} is)
     * @param work a directory under which this cluster gets {@code cluster-<nanos>/} (pids, logs)
     */
    public LocalCluster(Path repository, Path work) throws IOException {
        this.script = repository.resolve("scripts/cluster.sh").toAbsolutePath();
        long id = System.nanoTime();
        this.dir = work.resolve("cluster-" + id).toAbsolutePath();
        this.name = "im_c" + Long.toString(id % 1_000_000_000L, 36);
        this.portBase = freePortBlock();
        Files.createDirectories(dir);
    }

    /**
     * A random block whose ports nothing listens on now: a block taken by a cluster still stopping
     * (or anything else) made a node fail to bind.
     */
    private static int freePortBlock() {
        int base = 0;
        for (int tries = 0; tries < 20; tries++) {
            base = PORT_FLOOR + 60 * ThreadLocalRandom.current().nextInt(PORT_BLOCKS);
            if (allFree(base + 1, base + 60)) {
                return base;
            }
        }
        return base; // every try met a taken port: go ahead and let the node say which
    }

    private static boolean allFree(int from, int to) {
        for (int port = from; port < to; port++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /** Starts every node (and any backing service not running) and waits until all are ready. */
    public LocalCluster up() throws IOException, InterruptedException {
        run("up");
        Map<String, String> found = new HashMap<>();
        for (String line : run("endpoints").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                found.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        endpoints = Map.copyOf(found);
        return this;
    }

    /** SIGKILL of one node, as a crash. */
    public void kill(String node) throws IOException, InterruptedException {
        run("kill", node);
    }

    /** SIGTERM of one node: a push node tells its clients to reconnect elsewhere. */
    public void stop(String node) throws IOException, InterruptedException {
        run("stop", node);
    }

    /** Starts one node again and waits until it is ready. */
    public void start(String node) throws IOException, InterruptedException {
        run("start", node);
    }

    public ImRestClient rest() {
        return rest(Duration.ofSeconds(30));
    }

    /** Auth, user and (router-1's) media REST with this per-request timeout. */
    public ImRestClient rest(Duration timeout) {
        return new ImRestClient(URI.create(endpoints.get("AUTH_URL")), URI.create(endpoints.get("USERS_URL")),
                URI.create(endpoints.get("MEDIA_URL")), timeout, ServerTrust.systemDefault());
    }

    /** TCP endpoint of push node n (1-based). */
    public URI pushTcp(int n) {
        return URI.create(endpoints.get("PUSH_" + n + "_TCP"));
    }

    /** WebSocket endpoint of push node n (1-based). */
    public URI pushWebSocket(int n) {
        return URI.create(endpoints.get("PUSH_" + n + "_WS"));
    }

    /** The log of one node. */
    public Path logOf(String node) {
        return dir.resolve(node + ".log");
    }

    /** The cluster's directory: pid files and one log per node. */
    public Path dir() {
        return dir;
    }

    /** The cluster's name: prefix of its databases, Redis keys, Kafka topics and queues. */
    public String name() {
        return name;
    }

    /** Stops every node and drops the cluster's databases and Redis keys. */
    @Override
    public void close() throws IOException, InterruptedException {
        run("down", "--purge");
    }

    private String run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(script.toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(dir, "cluster-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(script.getParent().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("IM_CLUSTER_DIR", dir.toString());
        builder.environment().put("IM_CLUSTER_NAME", name);
        builder.environment().put("IM_CLUSTER_PORT_BASE", Integer.toString(portBase));
        Process process = builder.start();
        boolean finished = process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        if (!finished) {
            process.destroyForcibly();
            throw new IllegalStateException("cluster.sh " + String.join(" ", arguments) + " did not finish:\n" + text);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("cluster.sh " + String.join(" ", arguments) + " failed ("
                    + process.exitValue() + "):\n" + text);
        }
        return text;
    }
}
