package im.bench.load;

import im.bench.server.ServerProcess;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Idle logged-in connections held by this process and, past what one process may open (its
 * open-file limit), by helper processes ({@link HoldMain}) on the same machine: the first
 * {@code perProcess} here, each further slice in a process of its own, one after another.
 * Every connection pings at the interval its HelloOk names, as a real client does, so that a
 * hold longer than the server's idle timeout loses nothing.
 */
public final class HeldConnections implements AutoCloseable {

    private static final long HELPER_CONNECT_TIMEOUT_SECONDS = 600;

    private final LoadClient client;
    private final List<Conn> local;
    private final List<Helper> helpers;

    private HeldConnections(LoadClient client, List<Conn> local, List<Helper> helpers) {
        this.client = client;
        this.local = local;
        this.helpers = helpers;
    }

    /**
     * Connects every identity, connection {@code i} to {@code serverOf.apply(i)}, at most
     * {@code parallel} handshakes in flight per process. {@code progress} hears the connections
     * started so far (in helpers: once each slice is connected).
     */
    public static HeldConnections connect(IntFunction<InetSocketAddress> serverOf, List<Identity> identities,
            int parallel, int perProcess, List<String> sourceAddresses, Path workDir, IntConsumer progress)
            throws IOException, InterruptedException {
        int here = Math.min(perProcess, identities.size());
        LoadClient client = new LoadClient(2);
        List<Helper> helpers = new ArrayList<>();
        try {
            List<Conn> local = client.connectAll(serverOf, identities.subList(0, here), parallel, sourceAddresses,
                    progress);
            for (int from = here; from < identities.size(); from += perProcess) {
                int to = Math.min(identities.size(), from + perProcess);
                helpers.add(Helper.start(serverOf, identities, from, to, parallel, workDir));
                if (progress != null) {
                    progress.accept(to);
                }
            }
            return new HeldConnections(client, local, helpers);
        } catch (IOException | InterruptedException | RuntimeException e) {
            helpers.forEach(Helper::close);
            client.close();
            throw e;
        }
    }

    /** Connections still open, in this process and in every helper. */
    public int open() {
        int open = 0;
        for (Conn conn : local) {
            if (conn.channel().isActive()) {
                open++;
            }
        }
        for (Helper helper : helpers) {
            open += helper.open();
        }
        return open;
    }

    /** The load generator's processes: this one and its helpers. */
    public int processes() {
        return 1 + helpers.size();
    }

    @Override
    public void close() {
        local.forEach(Conn::close);
        helpers.forEach(Helper::close);
        client.close();
    }

    /** One helper process: identities handed over in a file, "open N" lines read back. */
    private static final class Helper {
        private final Process process;
        private final CompletableFuture<Void> connected = new CompletableFuture<>();
        private volatile int open;

        private Helper(Process process) {
            this.process = process;
        }

        static Helper start(IntFunction<InetSocketAddress> serverOf, List<Identity> identities, int from, int to,
                int parallel, Path workDir) throws IOException, InterruptedException {
            Files.createDirectories(workDir);
            // Tokens are secrets even in a benchmark: the file is the owner's alone and gone once read.
            Path file = Files.createTempFile(workDir.toAbsolutePath(), "hold-", ".txt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int i = from; i < to; i++) {
                    Identity id = identities.get(i);
                    InetSocketAddress server = serverOf.apply(i);
                    out.write(server.getHostString() + " " + server.getPort() + " " + id.userId() + " "
                            + id.deviceId() + " " + id.accessToken() + "\n");
                }
            }
            // slf4j: the REST client's logging API is on the class path without a provider; its notice is noise here.
            List<String> command = List.of(ServerProcess.javaBinary(), "-Xmx512m",
                    "-Dslf4j.internal.verbosity=ERROR", "-cp", ServerProcess.absoluteClassPath(),
                    HoldMain.class.getName(), file.toString(),
                    Integer.toString(parallel));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Helper helper = new Helper(process);
            Thread reader = new Thread(() -> helper.read(file), "bench-hold-" + process.pid());
            reader.setDaemon(true);
            reader.start();
            try {
                helper.connected.get(HELPER_CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                helper.close();
                throw new IllegalStateException("helper holding connections " + from + ".." + to + " failed: "
                        + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
            } finally {
                Files.deleteIfExists(file);
            }
            return helper;
        }

        private void read(Path file) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(HoldMain.OPEN)) {
                        open = Integer.parseInt(line.substring(HoldMain.OPEN.length()).trim());
                        connected.complete(null);
                    } else if (line.startsWith(HoldMain.FAILED)) {
                        connected.completeExceptionally(new IOException(line));
                    }
                }
            } catch (IOException | RuntimeException e) {
                connected.completeExceptionally(e);
            }
            connected.completeExceptionally(new IOException("helper exited (" + file.getFileName() + ")"));
        }

        int open() {
            return process.isAlive() ? open : 0;
        }

        void close() {
            try {
                OutputStream stdin = process.getOutputStream();
                stdin.close();  // HoldMain closes its connections and exits at end of input
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
