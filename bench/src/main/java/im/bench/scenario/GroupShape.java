package im.bench.scenario;

import java.time.Duration;

/**
 * The sizes of a group fan-out run.
 *
 * @param members the group's members, all registered; at most the server's 10,000 per group
 * @param online members that connect, one device each; the senders are among them
 * @param rate messages per second to the group, from the online members in turn
 * @param payloadBytes body bytes of each message (16 of them carry the timestamps)
 * @param warmup load before the measured window
 * @param measure the measured window
 * @param ioThreads the load generator's event loops
 * @param privateRate messages per second of the private open loop run after the group's on the
 *     same server, over {@code online} connections in pairs; 0: none
 */
public record GroupShape(int members, int online, double rate, int payloadBytes, Duration warmup, Duration measure,
        int ioThreads, double privateRate) {

    public GroupShape {
        if (online < 2 || online > members) {
            throw new IllegalArgumentException("online must be 2..members (" + members + "), got " + online);
        }
        if (rate <= 0 || rate > 100_000) {
            throw new IllegalArgumentException("rate must be in (0, 100000] msgs/s, got " + rate);
        }
        if (payloadBytes < 16 || payloadBytes > 16_384) {
            throw new IllegalArgumentException("payload must be 16..16384 bytes (16 hold the timestamps)");
        }
        if (privateRate < 0) {
            throw new IllegalArgumentException("private rate must not be negative, got " + privateRate);
        }
    }

    /** Copies of each message: every online member's device but the sender's. */
    public int copiesPerMessage() {
        return online - 1;
    }

    /** The private run's connections: the online members' count, made even. */
    public int privateConnections() {
        return Math.max(2, online - online % 2);
    }
}
