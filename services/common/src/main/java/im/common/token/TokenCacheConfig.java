package im.common.token;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The cache of access tokens already verified. */
@ConfigMapping(prefix = "im.tokens.verified-cache")
public interface TokenCacheConfig {

    /**
     * Tokens remembered. An Ed25519 signature check costs the JDK milliseconds of CPU, and the
     * same token comes with every send and ack of a session; one entry per live session (a few
     * hundred bytes, the token string is the session's own) keeps that to once per token.
     */
    @WithDefault("100000")
    int maxSize();
}
