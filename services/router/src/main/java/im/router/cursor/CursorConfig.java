package im.router.cursor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How delivery acks are stored. */
@ConfigMapping(prefix = "im.router.cursors")
public interface CursorConfig {

    /**
     * Most acks moved in one transaction (group commit). Every delivered message brings one ack
     * per device, so acks come as often as messages; 1024 as for sends.
     */
    @WithDefault("1024")
    int batchSize();

    /** Acks waiting for the writer; beyond this the ack fails UNAVAILABLE and the device acks again. */
    @WithDefault("4096")
    int queue();
}
