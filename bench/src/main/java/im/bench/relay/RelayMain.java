package im.bench.relay;

import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the relay baseline as its own process (the bench starts it so its CPU and RSS are its own). */
@Command(name = "relay", mixinStandardHelpOptions = true, description = "Run the raw Netty relay baseline.")
public final class RelayMain implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--port", description = "TCP port (0: any free one)", defaultValue = "7100")
    int port;

    @Option(names = "--host", description = "Address to listen on; loopback by default", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--io-threads", description = "Event-loop threads; 0 = Netty's default (2 x cores), as the push edge",
            defaultValue = "0")
    int ioThreads;

    @Override
    public Integer call() throws Exception {
        RelayServer relay = new RelayServer(host, port, ioThreads);
        System.out.println("relay listening on " + host + ":" + relay.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RelayMain()).execute(args));
    }
}
