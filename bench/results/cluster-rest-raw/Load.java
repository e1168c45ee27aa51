import im.bench.load.*;
import java.net.InetSocketAddress;
import java.nio.file.*;
import java.util.*;

/** Closed loop over the identities of a file for SECONDS: java Load.java FILE SECONDS WINDOW. */
public class Load {
    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<Identity> ids = new ArrayList<>();
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            servers.add(new InetSocketAddress(f[0], Integer.parseInt(f[1])));
            ids.add(new Identity(Long.parseLong(f[2]), "", f[4], f[3]));
        }
        try (LoadClient client = new LoadClient(2)) {
            List<Conn> conns = client.connectAll(servers::get, ids, 64, List.of(), null);
            LoadMetrics m = new LoadMetrics();
            PairedLoad load = new PairedLoad(conns, m, 100, Integer.parseInt(args[2]), true);
            load.startClosedLoop(0);
            long end = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(10_000);
                System.out.printf("sent %d acked %d delivered %d errors %d %s%n", m.sent.sum(), m.acked.sum(),
                        m.delivered.sum(), m.errors.sum(), m.errorSummary());
            }
            load.stop();
            Thread.sleep(3000);
            System.out.printf("final sent %d acked %d delivered %d errors %d%n", m.sent.sum(), m.acked.sum(), m.delivered.sum(), m.errors.sum());
            conns.forEach(Conn::close);
        }
    }
}
