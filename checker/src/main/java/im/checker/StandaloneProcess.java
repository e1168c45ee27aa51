package im.checker;

import im.client.sdk.ImRestClient;
import im.client.sdk.ServerTrust;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The packaged standalone app run as its own OS process, exactly as a user runs it, on free ports
 * and a data directory of its own. It can be stopped gracefully (SIGTERM), killed (SIGKILL) and
 * started again on the same data and the same ports, so clients and proxies in front of it keep
 * their addresses across restarts.
 */
public final class StandaloneProcess implements AutoCloseable {

    /** System property naming the packaged app ({@code quarkus-run.jar}). */
    public static final String APP_PROPERTY = "im.standalone.app";
    /** System property naming the directory under which each process gets its own directory. */
    public static final String WORK_PROPERTY = "im.system-tests.work";

    private static final String DEFAULT_APP = "../services/standalone/target/quarkus-app/quarkus-run.jar";
    private static final String DEFAULT_WORK = "target/system-tests";
    // A cold JVM boot with Flyway and H2 on two busy cores takes 10-40 s; two minutes means "broken".
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path app;
    private final Path dataDir;
    private final Path log;
    private final String maxHeap;
    // Ports come from below Linux's ephemeral range (32768+ by default), so the many outgoing
    // connections of tests and benchmarks on this machine never hold one of them.
    private static final int PORT_FLOOR = 20_000;
    private static final int PORT_CEILING = 32_000;
    private static final int FIRST_START_ATTEMPTS = 3;
    // How a taken port shows in the log: the bind errors, and Quarkus's own line when its HTTP
    // port is taken ("Port N seems to be in use by another process"), which carries no exception.
    private static final List<String> PORT_TAKEN_MARKERS =
            List.of("Address already in use", "Port already bound", "seems to be in use");

    private static final String ADDRESS_LIMIT_FOR_TESTS = "1000000";
    private static final String SEND_LIMIT_FOR_TESTS = "1000000";
    private static final String DEVICE_LIMIT_FOR_TESTS = "1000";

    private final Map<String, String> environment = new LinkedHashMap<>();

    private int httpPort;
    private int httpsPort;
    private boolean selfSignedTls;
    private int tcpPort;
    private int webSocketPort;
    private Process process;
    private int starts;
    private boolean everReady;

    /** App and work directory from the system properties {@value APP_PROPERTY} and {@value WORK_PROPERTY}. */
    public StandaloneProcess(String name) throws IOException {
        this(Path.of(System.getProperty(APP_PROPERTY, DEFAULT_APP)),
                Path.of(System.getProperty(WORK_PROPERTY, DEFAULT_WORK)), name, "512m");
    }

    /**
     * @param app the packaged app's {@code quarkus-run.jar}
     * @param work a directory under which this process gets {@code name-<nanos>/} (data, log)
     * @param maxHeap the app's {@code -Xmx}, e.g. {@code 512m}
     */
    public StandaloneProcess(Path app, Path work, String name, String maxHeap) throws IOException {
        this.app = app.toAbsolutePath();
        this.maxHeap = maxHeap;
        Path dir = work.resolve(name + "-" + System.nanoTime()).toAbsolutePath();
        this.dataDir = dir.resolve("data");
        this.log = dir.resolve("standalone.log");
        Files.createDirectories(dataDir);
        choosePorts();
        // Every client of a process under test comes from this machine's one address: the per-address
        // limits of logins and registrations would refuse a test's users; per-account limits stay.
        environment.put("IM_AUTH_THROTTLE_ADDRESS_LOGINS", ADDRESS_LIMIT_FOR_TESTS);
        environment.put("IM_AUTH_THROTTLE_ADDRESS_REGISTRATIONS", ADDRESS_LIMIT_FOR_TESTS);
        // The checker and the bench send far faster per user than a person does, and the bench's
        // idle run holds many connections per user.
        environment.put("IM_PUSH_USER_LIMITS_SENDS_PER_WINDOW", SEND_LIMIT_FOR_TESTS);
        environment.put("IM_PUSH_USER_LIMITS_DEVICES", DEVICE_LIMIT_FOR_TESTS);
    }

    /**
     * Sets an environment variable of the app for this and every later start, e.g. a cheaper
     * password hashing for benchmark setup. The data directory and the ports are the launcher's
     * own ({@code IM_DATA_DIR}, {@code IM_*_PORT}) and win over anything set here.
     */
    public synchronized StandaloneProcess environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * Runs the app with its development certificate (IM_TLS=self-signed): HTTPS, TLS on TCP and
     * WebSocket; {@link #rest()}, {@link #tcp()} and {@link #webSocket()} then name the TLS forms
     * and {@link #trust()} pins the certificate the app printed. Before the first start.
     */
    public synchronized StandaloneProcess selfSignedTls() {
        selfSignedTls = true;
        environment.put("IM_TLS", "self-signed");
        return this;
    }

    /**
     * Starts the process and returns once it answers ready, or fails with its log. A free port can
     * be taken by another process between choosing it and the app binding it; the first start then
     * tries again on other ports. Later starts keep the ports (clients and proxies know them).
     */
    public synchronized StandaloneProcess start() throws IOException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            long logBefore = Files.exists(log) ? Files.size(log) : 0;
            try {
                launch();
                everReady = true;
                return this;
            } catch (IllegalStateException e) {
                if (everReady || attempt >= FIRST_START_ATTEMPTS || !portWasTaken(logBefore)) {
                    throw e;
                }
                choosePorts();
            }
        }
    }

    private void launch() throws IOException, InterruptedException {
        if (!Files.exists(app)) {
            throw new IllegalStateException("standalone app not packaged at " + app
                    + ": build it first (mvn package -pl services/standalone -am)");
        }
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-jar");
        command.add(app.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("IM_DATA_DIR", dataDir.toString());
        builder.environment().put("IM_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("IM_HTTPS_PORT", Integer.toString(httpsPort));
        builder.environment().put("IM_TCP_PORT", Integer.toString(tcpPort));
        builder.environment().put("IM_WS_PORT", Integer.toString(webSocketPort));
        Files.writeString(log, "---- start " + (++starts) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = builder.start();
        try {
            awaitReady(process);
        } catch (IllegalStateException | InterruptedException notReady) {
            // A start that fails hands no process to its caller (try-with-resources closes only
            // what start() returned), so the process must not outlive the failure.
            process.destroyForcibly();
            throw notReady;
        }
    }

    private boolean portWasTaken(long logBefore) throws IOException {
        String text = Files.readString(log);
        String thisStart = text.substring((int) Math.min(logBefore, text.length()));
        return PORT_TAKEN_MARKERS.stream().anyMatch(thisStart::contains);
    }

    private void choosePorts() {
        int[] ports = freePorts(4);
        httpPort = ports[0];
        tcpPort = ports[1];
        webSocketPort = ports[2];
        httpsPort = ports[3];
    }

    /** SIGTERM and wait: the app shuts down gracefully (SIGKILL after 30 s). */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed that was not already. */
    public synchronized void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Graceful stop, then start on the same data and ports. */
    public StandaloneProcess restart() throws IOException, InterruptedException {
        stop();
        return start();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The OS process id of the current (or last) start; a restart changes it. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("not started");
        }
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return log;
    }

    public URI http() {
        return selfSignedTls ? URI.create("https://127.0.0.1:" + httpsPort) : URI.create("http://127.0.0.1:" + httpPort);
    }

    /**
     * The SHA-256 fingerprint of the certificate the current start printed ("certificate
     * SHA-256 AB:CD:..."), or null when it printed none (yet).
     */
    public String certificateFingerprint() {
        String text = logText();
        int start = text.lastIndexOf("---- start ");
        String marker = "certificate SHA-256";
        int at = text.indexOf(marker, Math.max(start, 0));
        if (at < 0) {
            return null;
        }
        int end = text.indexOf('\n', at);
        return text.substring(at + marker.length(), end < 0 ? text.length() : end).trim();
    }

    /** Trust in this app's servers: its printed certificate pinned, or the JDK's roots without TLS. */
    public ServerTrust trust() {
        if (!selfSignedTls) {
            return ServerTrust.systemDefault();
        }
        String fingerprint = certificateFingerprint();
        if (fingerprint == null) {
            throw new IllegalStateException("the app printed no certificate fingerprint; its log:\n" + logText());
        }
        return ServerTrust.pinnedSha256(fingerprint);
    }

    /** REST of auth and user, both served by this process. */
    public ImRestClient rest() {
        return new ImRestClient(http(), http(), Duration.ofSeconds(30), trust());
    }

    public URI tcp() {
        return URI.create((selfSignedTls ? "tls" : "tcp") + "://127.0.0.1:" + tcpPort);
    }

    public int tcpPort() {
        return tcpPort;
    }

    public URI webSocket() {
        return URI.create((selfSignedTls ? "wss" : "ws") + "://127.0.0.1:" + webSocketPort + "/ws");
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void awaitReady(Process started) throws InterruptedException {
        HttpClient http = selfSignedTls ? null : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(http().resolve("/q/health/ready")).GET()
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IllegalStateException("standalone exited with " + started.exitValue()
                        + " before it was ready; its log:\n" + logText());
            }
            if (http == null && certificateFingerprint() != null) {
                // The certificate is known once the app printed it, just before it answers.
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(trust().sslContext())
                        .build();
            }
            if (http == null) {
                Thread.sleep(250);
                continue;
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("standalone not ready on " + http() + " within " + READY_TIMEOUT
                + "; its log:\n" + logText());
    }

    /** A port free right now, from below the ephemeral range; see {@link #freePorts(int)}. */
    public static int freePort() {
        return freePorts(1)[0];
    }

    /**
     * {@code count} distinct ports free right now, from below the ephemeral range. Free only means
     * nothing held them when probed: a caller binding later can still lose one to another process.
     */
    public static int[] freePorts(int count) {
        Set<Integer> chosen = new LinkedHashSet<>();
        for (int tries = 0; chosen.size() < count && tries < 200 * count; tries++) {
            int port = ThreadLocalRandom.current().nextInt(PORT_FLOOR, PORT_CEILING);
            // Two listeners of one process on the same port: the second fails to bind.
            if (!chosen.contains(port) && isFree(port)) {
                chosen.add(port);
            }
        }
        if (chosen.size() < count) {
            throw new IllegalStateException("no " + count + " free ports in " + PORT_FLOOR + ".." + PORT_CEILING);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Without SO_REUSEADDR a port still in TIME_WAIT from an earlier run counts as taken:
            // a port that passes binds for any listener, whether it sets SO_REUSEADDR or not.
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
