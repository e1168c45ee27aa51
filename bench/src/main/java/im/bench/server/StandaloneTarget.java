package im.bench.server;

import im.bench.load.Identity;
import im.checker.StandaloneProcess;
import im.client.sdk.FriendRequest;
import im.client.sdk.ImRestClient;
import im.client.sdk.Tokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The packaged standalone app as its own process on free ports and a fresh data directory,
 * started by the same launcher as the checker and the system tests.
 */
public final class StandaloneTarget implements Target {

    private static final String PASSWORD = "bench-password-1";
    /** REST setup calls in parallel: enough to keep the server's workers busy, few enough not to time out. */
    private static final int SETUP_THREADS = 8;

    private final StandaloneProcess server;
    private final InetSocketAddress tcp;
    private final ImRestClient rest;
    private int batches;

    private StandaloneTarget(StandaloneProcess server) {
        this.server = server;
        this.tcp = new InetSocketAddress("127.0.0.1", server.tcpPort());
        this.rest = new ImRestClient(server.http(), Duration.ofSeconds(60));
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
        // Fresh names per call: a target may serve several scenarios, and usernames are unique.
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36) + (batches++);
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            List<Future<Tokens>> logins = new ArrayList<>(users);
            for (int u = 0; u < users; u++) {
                String username = "b" + tag + "u" + u;
                logins.add(pool.submit(() -> {
                    rest.register(username, PASSWORD, username);
                    return rest.login(username, PASSWORD);
                }));
            }
            List<Tokens> tokens = new ArrayList<>(users);
            for (Future<Tokens> login : logins) {
                tokens.add(login.get());
            }
            if (pairFriends) {
                List<Future<?>> friendships = new ArrayList<>();
                for (int u = 0; u + 1 < users; u += 2) {
                    Tokens a = tokens.get(u);
                    Tokens b = tokens.get(u + 1);
                    friendships.add(pool.submit(() -> {
                        FriendRequest request = rest.requestFriend(a.accessToken(), b.username());
                        if (!request.accepted()) {
                            rest.acceptFriendRequest(b.accessToken(), request.requestId());
                        }
                        return null;
                    }));
                }
                for (Future<?> friendship : friendships) {
                    friendship.get();
                }
            }
            List<Identity> identities = new ArrayList<>(users * devicesPerUser);
            for (int u = 0; u < users; u++) {
                Tokens t = tokens.get(u);
                for (int d = 0; d < devicesPerUser; d++) {
                    identities.add(new Identity(t.userId(), t.username(), t.accessToken(), "d" + u + "-" + d));
                }
            }
            return identities;
        } finally {
            pool.shutdownNow();
        }
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
