package im.router.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/**
 * How the router's conversations are spread over databases (docs/sharding.md). Unset, there is one
 * shard: the {@code router} datasource, exactly as before sharding.
 */
@ConfigMapping(prefix = "im.router.shards")
public interface ShardConfig {

    /**
     * Buckets conversation ids hash into. Fixed for the life of the data (changing it moves almost
     * every conversation): 4096 lets a cluster grow to hundreds of shards in even ranges while the
     * map stays a small array.
     */
    @WithDefault("4096")
    int buckets();

    /**
     * Which shard holds which buckets: {@code first-last:shard} ranges separated by commas, every
     * bucket exactly once. Unset: every bucket on shard 0.
     */
    Optional<String> assignment();

    /**
     * Buckets being moved to another shard ({@code first-last} ranges, commas): writes to their
     * conversations are refused with UNAVAILABLE until the map names their new shard. Unset: none.
     */
    Optional<String> moving();

    /**
     * The databases of shards 1, 2, ... by shard number ({@code im.router.shards.databases.1.jdbc-url}).
     * Shard 0 is always the {@code router} datasource. Made at start (Agroal) and migrated with the
     * router datasource's Flyway settings.
     */
    Map<String, Database> databases();

    /** One extra shard's database: MySQL or MariaDB, as the router datasource. */
    interface Database {

        String jdbcUrl();

        Optional<String> username();

        Optional<String> password();

        /** Pool size: as shard 0's (the router datasource's max-size), so every shard gets as many connections. */
        @WithDefault("20")
        int maxSize();
    }
}
