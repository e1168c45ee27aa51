package im.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where this module's keys live in a Redis it may share. */
@ConfigMapping(prefix = "im.redis")
public interface RedisKeysConfig {

    /**
     * First segment of every key. {@code im} suits the usual case of one IM system per Redis; a
     * second system or a test run on the same server sets its own, so neither reads the other's
     * presence or pending entries. Letters, digits, '.', '_' and '-' only: it also serves as a
     * SCAN pattern, where other characters would mean something.
     */
    @WithDefault("im")
    String namespace();
}
