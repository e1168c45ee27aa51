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
     * SQLite only: how often {@link WalCheckpointer} copies the write-ahead log into the database
     * file off the writer's thread; 0 leaves every checkpoint to the writer.
     */
    @WithDefault("100ms")
    Duration checkpointInterval();
}
