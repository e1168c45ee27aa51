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

    /** Longest wait for the user service's CheckSend; the client retries a send that fails UNAVAILABLE. */
    @WithDefault("3s")
    Duration checkTimeout();

    /**
     * How long an allowed (sender, receiver) pair is taken as allowed without asking the user
     * service again. A friendship cannot be removed yet, so nothing goes stale today; once removal
     * or blocking exists, this is the longest a removed friend can still send unless the removal
     * also evicts the pair. At 60 s a busy chat is asked about every 15-30 s, in the background,
     * instead of once per message (asking per message halved the router's throughput).
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
     * busy") at once and the client retries. 16384 (~5 MB, half a second of the most a standalone
     * stores) holds what 1,000 devices' pipelines can have in flight at once (8 each): at 4096 a
     * short stall of the writer under an open load of half its maximum made thousands of sends
     * come back refused and be sent again; at 16384 none did (bench/RESULTS.md).
     */
    @WithDefault("16384")
    int queue();
}
