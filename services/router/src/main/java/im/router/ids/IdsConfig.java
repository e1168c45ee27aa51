package im.router.ids;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the router draws message ids from leaf. */
@ConfigMapping(prefix = "im.router.ids")
public interface IdsConfig {

    /** Leaf's counter for message ids. */
    @WithDefault("message")
    String bizTag();

    /**
     * Ids fetched per leaf call (leaf serves at most 10,000). 10,000: one leaf round trip per ten
     * thousand sends, and the half batch left when a refill starts lasts ~200 ms at 23,000 sends
     * a second (the standalone's closed-loop rate), so a slow leaf call or a collector pause does
     * not empty the buffer; with 1000 it lasted ~20 ms, and an empty buffer sends every send
     * through the router's worker queue. Ids left in the buffer when a router stops are skipped
     * (never reused), which costs nothing.
     */
    @WithDefault("10000")
    int batchSize();

    /**
     * Refill in the background once fewer than this share of a batch is left. 0.5 leaves half a
     * batch of sends to hide the leaf round trip, so a send almost never waits on leaf.
     */
    @WithDefault("0.5")
    double refillBelow();

    /** Longest wait for leaf; a send that cannot get an id fails UNAVAILABLE and is retried. */
    @WithDefault("3s")
    Duration timeout();
}
