package im.bench.server;

import im.bench.load.Identity;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A server the load generator drives: the standalone app, the raw relay baseline, or the local
 * cluster (several processes; its figures are read from all of them).
 */
public interface Target extends AutoCloseable {

    /** "standalone", "relay" or "cluster": the column name in the tables. */
    String name();

    /** The TCP listener of the client protocol. */
    InetSocketAddress tcp();

    /**
     * Where load connection {@code index} connects. One listener for a single server; a cluster
     * spreads connections round-robin over its push nodes, so partners 2k and 2k+1 (who send to
     * each other) never share a node.
     */
    default InetSocketAddress tcp(int index) {
        return tcp();
    }

    /** False for the relay: it holds no messages, so offline catch-up means nothing there. */
    boolean stores();

    /**
     * {@code users} fresh users with {@code devicesPerUser} identities each (user-major order:
     * the devices of user 0 first). With {@code pairFriends}, users 2k and 2k+1 are friends.
     */
    List<Identity> identities(int users, int devicesPerUser, boolean pairFriends) throws Exception;

    /**
     * A group of {@code members} fresh users, the first {@code online} of them logged in (one device
     * each) and the first of those its owner; {@code progress} hears how setup goes. Only a target
     * with accounts and groups has one.
     */
    default BenchGroup group(int members, int online, Consumer<String> progress) throws Exception {
        throw new UnsupportedOperationException(name() + " has no groups");
    }

    /** The id of the server's own OS process (a cluster: its first push node). */
    long pid();

    /**
     * Every process the server is made of, by name (a cluster: each node and the brokers and
     * stores it runs on), so that CPU per message can be split by role. One entry by default.
     */
    default Map<String, Long> processes() {
        return Map.of(name(), pid());
    }

    /** The processes that hold client connections: memory per connection is read from these. */
    default Map<String, Long> connectionHolders() {
        return Map.of(name(), pid());
    }

    default double cpuSeconds() {
        return ProcStats.cpuSeconds(pid());
    }

    /** The CPU of the JIT compiler threads of the processes {@link #cpuSeconds()} reads, per thread. */
    default ThreadCpu compilerCpu() {
        return ProcStats.compilerThreadCpu(pid());
    }

    default long rssBytes() {
        return ProcStats.rssBytes(pid());
    }

    /** Heap in use after a full GC, or -1 when it cannot be read. */
    default long liveHeapBytes() {
        return ProcStats.liveHeapBytes(pid());
    }

    /** Stops the server; throws nothing checked, as closing is cleanup. */
    @Override
    void close();
}
