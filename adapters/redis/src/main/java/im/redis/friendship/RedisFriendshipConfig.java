package im.redis.friendship;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Friendship-ending notices over Redis pub/sub. */
@ConfigMapping(prefix = "im.redis.friendship")
public interface RedisFriendshipConfig {

    /**
     * Bound of a publish. Redis answers in well under a millisecond; a removal or block waiting
     * longer only holds a worker thread for an answer of 503 (the caller repeats the call).
     */
    @WithDefault("1s")
    Duration timeout();

    /**
     * Longest wait between two attempts to reconnect the notice channel (the waits double from
     * 100 ms up to this). Every reconnect makes the listeners forget every allowed pair, so a
     * notice missed while disconnected costs one question per pair in use, not a stale permission.
     */
    @WithDefault("5s")
    Duration maxReconnectDelay();
}
