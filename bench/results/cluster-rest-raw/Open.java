import im.bench.load.*;
import java.net.InetSocketAddress;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/** Open loop over the identities of a file (pairs.py): java Open.java FILE SECONDS RATE; one-way p50/p99 every 10 s. */
public class Open {
    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<Identity> ids = new ArrayList<>();
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            servers.add(new InetSocketAddress(f[0], Integer.parseInt(f[1])));
            ids.add(new Identity(Long.parseLong(f[2]), "", f[4], f[3]));
        }
        double rate = Double.parseDouble(args[2]);
        try (LoadClient client = new LoadClient(2)) {
            List<Conn> conns = client.connectAll(servers::get, ids, 64, List.of(), null);
            LoadMetrics m = new LoadMetrics();
            PairedLoad load = new PairedLoad(conns, m, 100, 0, true);
            long start = System.nanoTime();
            long end = start + Long.parseLong(args[1]) * 1_000_000_000L;
            double interval = 1e9 / rate;
            long issued = 0, nextReport = start + 10_000_000_000L;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                long due = (long) ((now - start) / interval) + 1;
                for (; issued < due; issued++) load.sendAt((int) (issued % load.size()), start + (long) (issued * interval));
                if (now > nextReport) {
                    nextReport += 10_000_000_000L;
                    Histogram h = m.oneWaySinceLastCall();
                    System.out.printf("%tT sent %d delivered %d errors %d p50 %.1f p99 %.1f max %.1f ms%n", new Date(), m.sent.sum(), m.delivered.sum(), m.errors.sum(),
                            h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
                }
                LockSupport.parkNanos(200_000);
            }
            load.stop();
            Thread.sleep(3000);
            System.out.printf("final sent %d delivered %d errors %d %s%n", m.sent.sum(), m.delivered.sum(), m.errors.sum(), m.errorSummary());
            conns.forEach(Conn::close);
        }
    }
}
