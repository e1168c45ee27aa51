package im.checker.system;

import im.client.sdk.ImRestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The system the reliable-delivery scenario checks: something that signs users up over REST,
 * serves devices on one or more push TCP endpoints, and can be disrupted by numbered faults while
 * the scenario sends. Two forms: {@link StandaloneSystem} (one process, restarted) and
 * {@link ClusterSystem} (the local cluster, whose nodes die and whose brokers restart).
 *
 * <p>The scenario owns the system for one run: {@link #start} first, {@link #close} last.
 */
public interface CheckedSystem extends AutoCloseable {

    /** Brings the system up and returns once users can sign up and devices connect. */
    void start() throws Exception;

    /** One line: what runs where, and where its logs are. */
    String describe();

    /** Auth and user REST (sign-up, login, friends) with this per-request timeout. */
    ImRestClient rest(Duration timeout);

    /**
     * The push nodes' TCP endpoints, straight (no proxy), in a fixed order: the scenario puts a
     * fault proxy in front of each and gives each device all of them, its home node first.
     */
    List<URI> pushTcp();

    /** Where the store is read at the end: a push TCP endpoint with no proxy in front. */
    URI storeReader();

    /** What fault {@code k} (1-based) of a run does, in a few words. */
    String describeFault(int k);

    /**
     * Injects fault {@code k} (1-based) and returns once the system is whole again (the node or
     * broker it took down answers again). Called off the sending thread, one fault at a time.
     */
    void disrupt(int k) throws Exception;

    /** For progress lines: {@code up}, or what is down right now. */
    String status();

    /** Stops everything {@link #start} started and drops what it made. */
    @Override
    void close() throws Exception;
}
