package im.router.cursor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How delivery acks are stored. */
@ConfigMapping(prefix = "im.router.cursors")
public interface CursorConfig {

    /**
     * Most acks moved in one transaction (group commit). Every delivered message brings one ack
     * per device, so acks come as often as messages; 1024 as for sends.
     */
    @WithDefault("1024")
    int batchSize();

    /**
     * How long an ack may wait to ride in the transaction of the next sends instead of costing a
     * commit of its own. At low load that halves the commits (each message brings a send and an
     * ack); the ack's answer and the sender's delivery receipt come at most this much later.
     * Nothing is lost by waiting: an ack that never commits leaves the message to be delivered
     * again, and the device drops the repeat.
     */
    @WithDefault("5ms")
    Duration linger();

    /** Acks waiting for the writer; beyond this the ack fails UNAVAILABLE and the device acks again. */
    @WithDefault("4096")
    int queue();
}
