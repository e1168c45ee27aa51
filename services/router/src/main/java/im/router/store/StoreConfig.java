package im.router.store;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import io.smallrye.config.WithDefault;

/** How the router's writes reach its database. */
@ConfigMapping(prefix = "im.router.store")
public interface StoreConfig {

    /**
     * Tries of a group-commit transaction that hits a deadlock or serialization failure (two
     * nodes creating the same conversation or device row). 3 resolves every case seen; more would
     * only hide a bug.
     */
    @WithDefault("3")
    int writeAttempts();

    /**
     * SQLite only: how soon {@link WalCheckpointer}'s next pass follows one that found the
     * write-ahead log growing (an idle log is looked at every 100 ms); 0 leaves every checkpoint
     * to the writer.
     */
    @WithDefault("5ms")
    Duration checkpointInterval();
}
