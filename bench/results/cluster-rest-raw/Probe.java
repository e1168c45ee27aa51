import im.bench.load.*;
import java.net.InetSocketAddress;
import java.nio.file.*;
import java.util.*;
import org.HdrHistogram.Histogram;

/** Sparse sends on an idle cluster: one message every PERIOD_MS over the first pair of FILE, COUNT times; prints one-way and send->SendAck latency. */
public class Probe {
    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0])).subList(0, 2);
        List<Identity> ids = new ArrayList<>();
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            servers.add(new InetSocketAddress(f[0], Integer.parseInt(f[1])));
            ids.add(new Identity(Long.parseLong(f[2]), "", f[4], f[3]));
        }
        int count = Integer.parseInt(args[1]);
        long period = Long.parseLong(args[2]);
        try (LoadClient client = new LoadClient(1)) {
            List<Conn> conns = client.connectAll(servers::get, ids, 2, List.of(), null);
            LoadMetrics m = new LoadMetrics();
            PairedLoad load = new PairedLoad(conns, m, 100, 0, true);
            Thread.sleep(3000);
            for (int i = 0; i < count; i++) {
                load.sendAt(i % 2, System.nanoTime());
                Thread.sleep(period);
            }
            Thread.sleep(2000);
            Histogram h = m.oneWaySnapshot();
            System.out.printf("probe sent %d delivered %d one-way ms p50 %.2f p90 %.2f max %.2f mean %.2f%n",
                    m.sent.sum(), m.delivered.sum(), h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
                    h.getMaxValue() / 1e6, h.getMean() / 1e6);
            Histogram a = m.sendAckSnapshot();
            System.out.printf("sendack ms p50 %.2f p90 %.2f%n", a.getValueAtPercentile(50) / 1e6, a.getValueAtPercentile(90) / 1e6);
            conns.forEach(Conn::close);
        }
    }
}
