package im.bench.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under test run as its own OS process, so that its CPU time and memory can be read
 * from /proc apart from the load generator's. Output goes to a log file in its work directory.
 */
public final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ServerProcess start(String name, List<String> command, Map<String, String> env, Path workDir)
            throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return new ServerProcess(name, builder.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public double cpuSeconds() {
        return ProcStats.cpuSeconds(process.pid());
    }

    public long rssBytes() {
        return ProcStats.rssBytes(process.pid());
    }

    /**
     * Heap in use after a full collection (jcmd GC.run, then GC.heap_info): the live objects,
     * without the garbage and the headroom that make RSS deltas noisy. -1 when jcmd fails.
     */
    public long liveHeapBytes() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String pid = Long.toString(process.pid());
        try {
            run(jcmd, pid, "GC.run");
            String info = run(jcmd, pid, "GC.heap_info");
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
            return used.find() ? Long.parseLong(used.group(1)) * 1024L : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        return out;
    }

    /** Waits until GET {@code url} answers 200. */
    public void awaitHttpReady(URI url, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(Duration.ofSeconds(5)).build();
        awaitReady(timeout, () -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** Waits until the TCP port accepts a connection. */
    public void awaitPortOpen(InetSocketAddress address, Duration timeout) {
        awaitReady(timeout, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(address, 1000);
                return true;
            }
        });
    }

    private interface Probe {
        boolean ready() throws Exception;
    }

    private void awaitReady(Duration timeout, Probe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start; its log:\n" + logTail());
            }
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; its log:\n" + logTail());
    }

    public String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A port below the kernel's ephemeral range (32768..60999 by default): the idle scenario opens
     * and closes tens of thousands of client connections, and a listener given one of their
     * ports (still in TIME_WAIT) fails to bind.
     */
    public static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
