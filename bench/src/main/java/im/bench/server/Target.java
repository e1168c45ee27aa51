package im.bench.server;

import im.bench.load.Identity;
import java.net.InetSocketAddress;
import java.util.List;

/** A server the load generator drives: the standalone app or the raw relay baseline. */
public interface Target extends AutoCloseable {

    /** "standalone" or "relay": the column name in the tables. */
    String name();

    /** The TCP listener of the client protocol. */
    InetSocketAddress tcp();

    /** False for the relay: it holds no messages, so offline catch-up means nothing there. */
    boolean stores();

    /**
     * {@code users} fresh users with {@code devicesPerUser} identities each (user-major order:
     * the devices of user 0 first). With {@code pairFriends}, users 2k and 2k+1 are friends.
     */
    List<Identity> identities(int users, int devicesPerUser, boolean pairFriends) throws Exception;

    /** The id of the server's own OS process: every figure about the server is read from it. */
    long pid();

    default double cpuSeconds() {
        return ProcStats.cpuSeconds(pid());
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
