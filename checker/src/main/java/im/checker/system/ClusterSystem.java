package im.checker.system;

import im.checker.LocalCluster;
import im.client.sdk.ImRestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The local cluster of {@code scripts/cluster.sh} (auth, user, leaf, two routers, two push nodes
 * on MariaDB, Redis, RabbitMQ and Kafka). Devices reach both push nodes; fault {@code k} is the
 * k-th of the fault list, cycling: nodes die by SIGKILL and start again, brokers restart.
 */
public final class ClusterSystem implements CheckedSystem {

    // Long enough that calls in flight, and a few after them, meet a broker that is gone.
    private static final Duration BROKER_DOWN_FOR = Duration.ofSeconds(2);

    private final Path repository;
    private final Path work;
    private final List<ClusterFault> faults;
    private final BackingServices brokers;
    private LocalCluster cluster;
    private volatile String status = "down";

    /**
     * @param repository the project's root (where {@code scripts/cluster.sh} is)
     * @param work where the cluster gets its directory (pids, node logs)
     * @param faults the faults injected in turn; fault k is {@code faults[(k - 1) % size]}
     */
    public ClusterSystem(Path repository, Path work, List<ClusterFault> faults) {
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("at least one cluster fault");
        }
        this.repository = repository;
        this.work = work;
        this.faults = List.copyOf(faults);
        this.brokers = new BackingServices(repository, BROKER_DOWN_FOR);
    }

    @Override
    public void start() throws Exception {
        LocalCluster starting = new LocalCluster(repository, work);
        try {
            starting.up();
        } catch (Exception notUp) {
            // Stop what did start, and report why it did not come up rather than how stopping went.
            try {
                starting.close();
            } catch (Exception alsoNotDown) {
                notUp.addSuppressed(alsoNotDown);
            }
            throw notUp;
        }
        cluster = starting;
        status = "up";
    }

    @Override
    public String describe() {
        return "local cluster " + cluster.name() + ": push " + pushTcp() + ", logs " + cluster.dir()
                + "; faults in turn: " + faults.stream().map(ClusterFault::label).collect(Collectors.joining(", "));
    }

    @Override
    public ImRestClient rest(Duration timeout) {
        return cluster.rest(timeout);
    }

    @Override
    public List<URI> pushTcp() {
        return IntStream.rangeClosed(1, LocalCluster.PUSH_NODES.size()).mapToObj(cluster::pushTcp).toList();
    }

    @Override
    public URI storeReader() {
        return cluster.pushTcp(1);
    }

    @Override
    public String describeFault(int k) {
        return fault(k).description();
    }

    @Override
    public void disrupt(int k) throws Exception {
        ClusterFault fault = fault(k);
        status = fault.downNow();
        try {
            fault.inject(cluster, brokers);
        } finally {
            status = "up";
        }
    }

    private ClusterFault fault(int k) {
        return faults.get((k - 1) % faults.size());
    }

    @Override
    public String status() {
        return status;
    }

    @Override
    public void close() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }
}
