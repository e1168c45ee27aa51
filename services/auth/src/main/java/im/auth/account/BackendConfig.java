package im.auth.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long auth waits for leaf and the user directory before answering 503. */
@ConfigMapping(prefix = "im.auth.backend")
public interface BackendConfig {

    /**
     * Deadline of one gRPC call. Both calls are single-row database work on the other side; 3 s
     * covers a slow pod or a leaf segment switch while keeping a register or login from hanging.
     */
    @WithDefault("PT3S")
    Duration callTimeout();
}
