package im.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A helper process of {@link HeldConnections}: connects the identities of the file named by its
 * first argument ("host port userId deviceId token" a line), pings them at the server's
 * heartbeat interval, prints "open N" once connected and every second after, and closes them and
 * exits when its standard input ends (the parent closed it, or died).
 */
public final class HoldMain {

    static final String OPEN = "open ";
    static final String FAILED = "failed ";

    private HoldMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        int parallel = Integer.parseInt(args[1]);
        List<Identity> identities = new ArrayList<>(lines.size());
        List<InetSocketAddress> servers = new ArrayList<>(lines.size());
        for (String line : lines) {
            String[] f = line.split(" ");
            servers.add(new InetSocketAddress(f[0], Integer.parseInt(f[1])));
            identities.add(new Identity(Long.parseLong(f[2]), "", f[4], f[3]));
        }
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hold-report");
            t.setDaemon(true);
            return t;
        });
        try (LoadClient client = new LoadClient(1)) {
            List<Conn> conns;
            try {
                conns = client.connectAll(servers::get, identities, parallel, List.of(), null);
            } catch (RuntimeException e) {
                System.out.println(FAILED + e.getMessage());
                System.out.flush();
                return;
            }
            reporter.scheduleAtFixedRate(() -> {
                int open = 0;
                for (Conn conn : conns) {
                    if (conn.channel().isActive()) {
                        open++;
                    }
                }
                System.out.println(OPEN + open);
                System.out.flush();
            }, 0, 1, TimeUnit.SECONDS);
            while (System.in.read() >= 0) {
                // the parent writes nothing: end of input is the signal to stop
            }
            reporter.shutdownNow();
            conns.forEach(Conn::close);
        }
    }
}
