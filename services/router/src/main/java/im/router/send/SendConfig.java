package im.router.send;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits and timings of the send path. */
@ConfigMapping(prefix = "im.router.send")
public interface SendConfig {

    /**
     * Largest message body in bytes. 16 KiB holds any chat text (and its ciphertext) many times
     * over; files go elsewhere. The column is a BLOB, so it may not exceed 65535.
     */
    @WithDefault("16384")
    int maxBodyBytes();

    /** Longest text of a text message, in characters (code points). */
    @WithDefault("4000")
    int maxTextLength();

    /** Most users one message may mention. */
    @WithDefault("50")
    int maxMentions();

    /** Longest wait for the user service's CheckSend; the client retries a send that fails UNAVAILABLE. */
    @WithDefault("3s")
    Duration checkTimeout();

    /**
     * How long an allowed (sender, receiver) pair is taken as allowed without asking the user
     * service again. A removal or block evicts the pair at once (FriendshipEndings); this bounds
     * how long a pair stays allowed only when that notice is lost, and a lost channel makes the
     * router forget every pair when it comes back. At 60 s a busy chat is asked about every
     * 15-30 s, in the background, instead of once per message (asking per message halved the
     * router's throughput).
     */
    @WithDefault("60s")
    Duration allowedTtl();

    /** Allowed pairs remembered at most (~100 bytes each). */
    @WithDefault("100000")
    int allowedCacheSize();

    /**
     * Most sends stored in one transaction (group commit). The writer takes what queued while the
     * previous batch committed, up to this. A commit's cost grows with the rows it touches, not the
     * rows it adds, so larger batches store more per second until the pages touched stop growing:
     * on the standalone, 1024 stored ~15% more than 256 under saturating load and 4096 no more
     * than 1024 (bench/RESULTS.md). Only a saturated router fills a batch.
     */
    @WithDefault("1024")
    int batchSize();

    /**
     * Sends waiting for the writer. Beyond this the router answers UNAVAILABLE ("message store
     * busy") at once and the client retries. The queue holds the bodies too: at most this many times
     * the largest body (16 KiB), 64 MiB at 4096, so a cluster router's memory stays bounded whatever
     * its push nodes send. The standalone sets 16384: there one node's own devices fill it, and 1,000
     * devices' pipelines alone may hold 8,000 sends (bench/RESULTS.md).
     */
    @WithDefault("4096")
    int queue();
}
