package im.redis.throttle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Attempt counts in Redis. */
@ConfigMapping(prefix = "im.redis.throttle")
public interface RedisThrottleConfig {

    /**
     * Bound of every call. Redis answers in well under a millisecond; a second means it is down or
     * failing over, and a login waiting longer only holds a worker thread for an answer of 503.
     */
    @WithDefault("1s")
    Duration timeout();
}
