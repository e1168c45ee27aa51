package im.inprocess.throttle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Attempt counts kept in this JVM. */
@ConfigMapping(prefix = "im.inprocess.throttle")
public interface InProcessThrottleConfig {

    /**
     * Keys counted at once (accounts and client addresses with an open window); beyond it the
     * least useful go. A key costs about 200 bytes, so 100,000 keep under 20 MiB while far more
     * than a standalone server's users try at once. Someone who floods it with fresh keys (random
     * usernames, many addresses) can push out a count; Caffeine keeps the keys hit most often,
     * which are the ones under attack, and the address limits slow the flood itself.
     */
    @WithDefault("100000")
    long maxKeys();
}
