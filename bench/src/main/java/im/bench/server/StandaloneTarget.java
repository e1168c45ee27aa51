package im.bench.server;

import im.bench.load.Identity;
import im.checker.StandaloneProcess;
import im.client.sdk.ImRestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The packaged standalone app as its own process on free ports and a fresh data directory,
 * started by the same launcher as the checker and the system tests.
 */
public final class StandaloneTarget implements Target {

    private final StandaloneProcess server;
    private final InetSocketAddress tcp;
    private final RestUsers users;

    private StandaloneTarget(StandaloneProcess server) {
        this.server = server;
        this.tcp = new InetSocketAddress("127.0.0.1", server.tcpPort());
        this.users = new RestUsers(new ImRestClient(server.http(), Duration.ofSeconds(60)));
    }

    public static StandaloneTarget start(TargetSettings settings) throws IOException, InterruptedException {
        StandaloneProcess server = new StandaloneProcess(settings.standaloneJar(), settings.workDir(),
                "standalone", settings.heap());
        settings.javaOptionsEnvironment().forEach(server::environment);
        if (settings.cheapSetupHashing()) {
            server.environment("IM_AUTH_PASSWORD_MEMORY_KIB", "1024");
            server.environment("IM_AUTH_PASSWORD_ITERATIONS", "1");
        }
        return new StandaloneTarget(server.start());
    }

    @Override
    public String name() {
        return "standalone";
    }

    @Override
    public InetSocketAddress tcp() {
        return tcp;
    }

    public URI http() {
        return server.http();
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
        return server.pid();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (InterruptedException e) {
            // Interrupted while waiting for the graceful stop: still do not leave the server running.
            try {
                server.kill();
            } catch (InterruptedException again) {
                // SIGKILL is sent; only the wait for it was cut short.
            }
            Thread.currentThread().interrupt();
        }
    }
}
