package im.redis.presence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Presence in Redis: how long a silent node's sessions keep counting, and how long a call may take. */
@ConfigMapping(prefix = "im.redis.presence")
public interface RedisPresenceConfig {

    /**
     * Lifetime of a node's liveness key; the node refreshes it every third of this. 15 s lets a
     * node miss two refreshes (a long GC pause, a Redis failover) without its sessions vanishing,
     * while a crashed node stops being named as its devices' home within 15 s, about the time
     * those devices take to notice the dead connection and reconnect elsewhere.
     */
    @WithDefault("15s")
    Duration nodeTtl();

    /**
     * How long a reader trusts that a node incarnation it saw live still is. Lookups come in
     * bursts (each routing batch); 1 s saves the node-key read on nearly all of them, and a node
     * that stopped is named for at most 1 s more, which costs a delivery that nobody takes (the
     * device reconnects and catches up). Only "live" is remembered: an incarnation never seen
     * live is always read, so a restarted node's sessions count at once.
     */
    @WithDefault("1s")
    Duration livenessCache();

    /**
     * Bound of every call. Redis answers in well under a millisecond; a second means it is down
     * or failing over, and the caller (a session opening, a routing batch) does better to fail
     * and fall back on sync than to hold everything behind it.
     */
    @WithDefault("1s")
    Duration timeout();
}
