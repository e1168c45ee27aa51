package im.auth.token;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "im.auth.token")
public interface TokenConfig {

    /**
     * Lifetime of an access token. Services verify tokens locally and cannot learn of a logout,
     * so this bounds how long a revoked session keeps working; 15 minutes keeps refreshes rare.
     */
    @WithDefault("PT15M")
    Duration accessTtl();

    /** Lifetime of a refresh token: how long a device may stay away and still come back logged in. */
    @WithDefault("P30D")
    Duration refreshTtl();
}
