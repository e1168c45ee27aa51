package im.redis.revocation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Revocations in Redis. */
@ConfigMapping(prefix = "im.redis.revocation")
public interface RedisRevocationConfig {

    /**
     * Bound of a revoking call. Redis answers in well under a millisecond; a logout or ban waiting
     * longer only holds a worker thread for an answer of 503.
     */
    @WithDefault("1s")
    Duration timeout();

    /**
     * How long a starting node waits for its first read of the list before it serves anyway (and
     * keeps trying in the background). Long enough for a Redis that is starting beside it; a node
     * that never reads the list would accept revoked tokens until their expiry, so it says so in
     * its log.
     */
    @WithDefault("10s")
    Duration startTimeout();

    /**
     * Longest wait between two attempts to reconnect the notice channel (the waits double from
     * 100 ms up to this). Every reconnect reads the whole list again, so a notice missed while
     * disconnected is made up for then.
     */
    @WithDefault("5s")
    Duration maxReconnectDelay();
}
