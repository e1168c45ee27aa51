package im.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged standalone app run as its own OS process, exactly as a user runs it, on free ports
 * and a data directory of the test's own. It can be stopped gracefully, killed (SIGKILL) and
 * started again on the same data.
 */
final class StandaloneProcess implements AutoCloseable {

    private static final Path APP = Path.of(System.getProperty("im.standalone.app",
            "../services/standalone/target/quarkus-app/quarkus-run.jar"));
    private static final Path WORK = Path.of(System.getProperty("im.system-tests.work", "target/system-tests"));

    private final Path dataDir;
    private final Path log;
    private final int httpPort = freePort();
    private final int grpcPort = freePort();
    private final int tcpPort = freePort();
    private final int webSocketPort = freePort();
    private Process process;
    private int starts;

    StandaloneProcess(String name) throws IOException {
        Path dir = WORK.resolve(name + "-" + System.nanoTime()).toAbsolutePath();
        this.dataDir = dir.resolve("data");
        this.log = dir.resolve("standalone.log");
        Files.createDirectories(dataDir);
    }

    StandaloneProcess start() throws IOException {
        if (!Files.exists(APP)) {
            throw new IllegalStateException("standalone app not packaged at " + APP.toAbsolutePath()
                    + ": build it first (mvn package -pl services/standalone -am)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-jar");
        command.add(APP.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("IM_DATA_DIR", dataDir.toString());
        builder.environment().put("IM_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("IM_GRPC_PORT", Integer.toString(grpcPort));
        builder.environment().put("IM_TCP_PORT", Integer.toString(tcpPort));
        builder.environment().put("IM_WS_PORT", Integer.toString(webSocketPort));
        Files.writeString(log, "---- start " + (++starts) + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = builder.start();
        awaitReady();
        return this;
    }

    /** SIGTERM and wait: the app shuts down gracefully. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed that was not already. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    StandaloneProcess restart() throws IOException, InterruptedException {
        stop();
        return start();
    }

    Path dataDir() {
        return dataDir;
    }

    URI http() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    URI tcp() {
        return URI.create("tcp://127.0.0.1:" + tcpPort);
    }

    URI webSocket() {
        return URI.create("ws://127.0.0.1:" + webSocketPort + "/ws");
    }

    String logText() {
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

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(http().resolve("/q/health/ready")).GET()
                .timeout(Duration.ofSeconds(5)).build();
        try {
            Awaitility.await("standalone ready on " + http()).atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .failFast("standalone exited", () -> !process.isAlive())
                    .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (RuntimeException e) {
            throw new IllegalStateException("standalone did not become ready; its log:\n" + logText(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
