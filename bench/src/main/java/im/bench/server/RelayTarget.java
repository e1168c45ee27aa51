package im.bench.server;

import im.bench.load.Identity;
import im.bench.relay.RelayMain;
import im.checker.StandaloneProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling: the raw Netty relay of this module run as its own process with the same heap as
 * the standalone app, so its CPU and memory are read the same way.
 */
public final class RelayTarget implements Target {

    private final ServerProcess process;
    private final InetSocketAddress tcp;
    private final AtomicLong nextUserId = new AtomicLong(1);

    private RelayTarget(ServerProcess process, InetSocketAddress tcp) {
        this.process = process;
        this.tcp = tcp;
    }

    public static RelayTarget start(TargetSettings settings) throws IOException {
        int port = StandaloneProcess.freePort();
        List<String> command = List.of(ServerProcess.javaBinary(), "-Xmx" + settings.heap(),
                "-cp", ServerProcess.absoluteClassPath(), RelayMain.class.getName(), "--port", Integer.toString(port));
        ServerProcess process = ServerProcess.start("relay", command, settings.javaOptionsEnvironment(),
                settings.workDir().resolve("relay-" + System.currentTimeMillis()).toAbsolutePath());
        InetSocketAddress tcp = new InetSocketAddress("127.0.0.1", port);
        try {
            process.awaitPortOpen(tcp, Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new RelayTarget(process, tcp);
    }

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public InetSocketAddress tcp() {
        return tcp;
    }

    @Override
    public boolean stores() {
        return false;
    }

    @Override
    public List<Identity> identities(int users, int devicesPerUser, boolean pairFriends) {
        // The relay trusts the token: "u<id>" names the user.
        long first = nextUserId.getAndAdd(users);
        List<Identity> identities = new ArrayList<>(users * devicesPerUser);
        for (int u = 0; u < users; u++) {
            long userId = first + u;
            for (int d = 0; d < devicesPerUser; d++) {
                identities.add(new Identity(userId, "u" + userId, "u" + userId, "d" + userId + "-" + d));
            }
        }
        return identities;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
