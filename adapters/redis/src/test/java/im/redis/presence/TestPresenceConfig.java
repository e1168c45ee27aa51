package im.redis.presence;

import java.time.Duration;

/** Presence settings for a registry a test builds itself (another process, another reader). */
record TestPresenceConfig(Duration nodeTtl, Duration livenessCache, Duration timeout) implements RedisPresenceConfig {

    static TestPresenceConfig like(RedisPresenceConfig config) {
        return new TestPresenceConfig(config.nodeTtl(), config.livenessCache(), config.timeout());
    }

    TestPresenceConfig withLivenessCache(Duration livenessCache) {
        return new TestPresenceConfig(nodeTtl, livenessCache, timeout);
    }
}
