package im.push.connection;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How much a slow client may cost this node before it is cut off (both listeners). */
@ConfigMapping(prefix = "im.push.connection")
public interface ConnectionConfig {

    /**
     * Outbound bytes below which a paused connection becomes writable again (and is read again).
     * Half of the high mark avoids flapping between the two states on every frame.
     */
    @WithDefault("131072")
    int writeBufferLowWater();

    /**
     * Outbound bytes queued above which the connection counts as not writable and its reading is
     * paused. Four maximum-size frames: a healthy client drains that within one round trip.
     */
    @WithDefault("262144")
    int writeBufferHighWater();

    /**
     * A connection that stays unwritable this long is closed: the device is not reading, and it
     * catches up by sync when it reconnects. Long enough to ride out a mobile network stall.
     */
    @WithDefault("30s")
    Duration unwritableCloseAfter();

    /**
     * Hard cap on queued outbound bytes per connection; deliveries beyond it close the connection
     * at once instead of growing the heap while the timer above runs.
     */
    @WithDefault("4194304")
    int maxPendingWriteBytes();

    /**
     * A stopping node tells each client to reconnect after a random delay up to this long, so
     * that its clients do not all land on the remaining nodes in the same second.
     */
    @WithDefault("5s")
    Duration drainJitter();
}
