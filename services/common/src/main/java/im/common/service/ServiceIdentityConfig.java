package im.common.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How the services of one deployment prove to each other who is calling. */
@ConfigMapping(prefix = "im.service-identity")
public interface ServiceIdentityConfig {

    /**
     * The deployment's shared secret (env {@code IM_SERVICE_SECRET}), at least 32 characters, for
     * example {@code openssl rand -base64 48}. Every service of the deployment holds the same one:
     * it signs the tokens a service presents when it calls another on its own behalf. Unset, a
     * service refuses to start, unless {@link #generate()}.
     */
    Optional<String> secret();

    /**
     * Make a random secret at boot instead. Only for an app whose callers all live in its own JVM
     * (the standalone): no other process could know the secret.
     */
    @WithDefault("false")
    boolean generate();

    /**
     * How long a minted token is good for. Short, since it cannot be revoked; a caller mints a new
     * one when a fifth of this is left, so a call never carries one about to lapse.
     */
    @WithDefault("5m")
    Duration tokenTtl();
}
