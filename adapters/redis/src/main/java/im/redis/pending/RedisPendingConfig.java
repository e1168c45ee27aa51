package im.redis.pending;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Pending acknowledgements in Redis. */
@ConfigMapping(prefix = "im.redis.pending")
public interface RedisPendingConfig {

    /**
     * Expiry of a device's entries, renewed by every record. Far longer than the whole retry
     * schedule (5 + 10 + 20 s by default) and a push node restart, so an entry is never lost
     * while a retry check may still want it; short enough that the entries of a device that went
     * away (its node crashed before clearing them) vanish instead of piling up. The device
     * catches up from the store at its next Hello either way.
     */
    @WithDefault("10m")
    Duration ttl();

    /**
     * Bound of every call's stage. Redis answers in well under a millisecond; a call without an
     * answer after 2 s waits on a Redis that is down or failing over, and the caller does better
     * to count the failure and let the retry schedule or the next Hello repair it.
     */
    @WithDefault("2s")
    Duration timeout();

    /**
     * Calls held while the connection is being (re)opened; beyond it they fail at once. 4096 is
     * about a second of a busy node's records and acks: enough to ride over a reconnect, and a
     * bound on what piles up in memory while Redis is away.
     */
    @WithDefault("4096")
    int maxHeldWhileConnecting();
}
