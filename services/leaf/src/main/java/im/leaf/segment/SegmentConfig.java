package im.leaf.segment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How leaf claims segments and when it loads the next one. */
@ConfigMapping(prefix = "im.leaf.segment")
public interface SegmentConfig {

    /**
     * Ids per segment for a tag seen for the first time (later changes go to the tag's row).
     * 1000: one database round trip per thousand ids, and a crash skips at most two segments of
     * a 64-bit space, which nobody misses.
     */
    @WithDefault("1000")
    int defaultStep();

    /**
     * Share of the current segment that may be used before the next one is loaded in the
     * background. 0.1, as Meituan Leaf does: 90% of a segment's worth of traffic is left to hide
     * the database round trip, so callers almost never wait on it.
     */
    @WithDefault("0.1")
    double preloadAt();

    /**
     * Tags one node serves at most. Tags are chosen by services, not users; the bound keeps a
     * caller that makes up tags from growing the node's memory without end.
     */
    @WithDefault("1024")
    int maxTags();

    /**
     * Attempts of one claim when the database reports a deadlock or a racing insert of the same
     * new tag (both resolve on retry). 5 is far more than two racing nodes ever need.
     */
    @WithDefault("5")
    int claimAttempts();

    /** Background loader threads. Loads are short and at most one per tag is in flight. */
    @WithDefault("2")
    int loaderThreads();
}
