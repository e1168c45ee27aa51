package im.bench.server;

import im.bench.load.Identity;
import im.client.sdk.FriendRequest;
import im.client.sdk.ImRestClient;
import im.client.sdk.Tokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/** The packaged standalone app as its own process on free ports and a fresh data directory. */
public final class StandaloneTarget implements Target {

    private static final String PASSWORD = "bench-password-1";
    /** REST setup calls in parallel: enough to keep the server's workers busy, few enough not to time out. */
    private static final int SETUP_THREADS = 8;

    private final ServerProcess process;
    private final URI http;
    private final InetSocketAddress tcp;
    private final ImRestClient rest;
    private int batches;

    private StandaloneTarget(ServerProcess process, URI http, InetSocketAddress tcp) {
        this.process = process;
        this.http = http;
        this.tcp = tcp;
        this.rest = new ImRestClient(http, Duration.ofSeconds(60));
    }

    public static StandaloneTarget start(TargetSettings settings) throws IOException {
        Path jar = settings.standaloneJar().toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("standalone app not packaged at " + jar
                    + ": build it first (mvn -B -o -q package -DskipTests -pl services/standalone)");
        }
        Path dir = settings.workDir().resolve("standalone-" + System.currentTimeMillis()).toAbsolutePath();
        int httpPort = ServerProcess.freePort();
        int tcpPort = ServerProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("IM_DATA_DIR", dir.resolve("data").toString());
        env.put("IM_HTTP_PORT", Integer.toString(httpPort));
        env.put("IM_TCP_PORT", Integer.toString(tcpPort));
        env.put("IM_WS_PORT", Integer.toString(ServerProcess.freePort()));
        if (settings.cheapSetupHashing()) {
            env.put("IM_AUTH_PASSWORD_MEMORY_KIB", "1024");
            env.put("IM_AUTH_PASSWORD_ITERATIONS", "1");
        }
        Files.createDirectories(dir.resolve("data"));
        List<String> command = List.of(ServerProcess.javaBinary(), "-Xmx" + settings.heap(), "-jar", jar.toString());
        ServerProcess process = ServerProcess.start("standalone", command, env, dir);
        URI http = URI.create("http://127.0.0.1:" + httpPort);
        try {
            process.awaitHttpReady(http.resolve("/q/health/ready"), Duration.ofSeconds(180));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new StandaloneTarget(process, http, new InetSocketAddress("127.0.0.1", tcpPort));
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
        return http;
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

    public String logTail() {
        return process.logTail();
    }

    @Override
    public ServerProcess process() {
        return process;
    }
}
