package im.checker.system;

import im.checker.StandaloneProcess;
import im.client.sdk.ImRestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The packaged standalone app as one process; every fault restarts it on the same data and ports,
 * gracefully (SIGTERM) or as a crash (SIGKILL).
 */
public final class StandaloneSystem implements CheckedSystem {

    private final Path app;
    private final Path work;
    private final String heap;
    private final boolean killRestarts;
    private StandaloneProcess server;

    /**
     * @param app the standalone app's {@code quarkus-run.jar}
     * @param work where the process gets its data directory and log
     * @param heap the process's {@code -Xmx}
     * @param killRestarts restart by SIGKILL instead of SIGTERM
     */
    public StandaloneSystem(Path app, Path work, String heap, boolean killRestarts) {
        this.app = app;
        this.work = work;
        this.heap = heap;
        this.killRestarts = killRestarts;
    }

    @Override
    public void start() throws Exception {
        server = new StandaloneProcess(app, work, "checker", heap);
        server.start();
    }

    @Override
    public String describe() {
        return "standalone: http " + server.http() + ", tcp " + server.tcp() + ", log " + server.logFile();
    }

    @Override
    public ImRestClient rest(Duration timeout) {
        return new ImRestClient(server.http(), timeout);
    }

    @Override
    public List<URI> pushTcp() {
        return List.of(server.tcp());
    }

    @Override
    public URI storeReader() {
        return server.tcp();
    }

    @Override
    public String describeFault(int k) {
        return (killRestarts ? "SIGKILL" : "SIGTERM") + " the server, then start it";
    }

    @Override
    public void disrupt(int k) throws Exception {
        if (killRestarts) {
            server.kill();
        } else {
            server.stop();
        }
        server.start();
    }

    @Override
    public String status() {
        return server != null && server.isRunning() ? "up" : "down";
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
