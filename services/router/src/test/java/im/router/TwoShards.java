package im.router;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The router's store on two MariaDB shards: shard 0 the router datasource ({@code im_router_test}),
 * shard 1 {@code im_router_test_s1} (created on demand, cleaned at start like shard 0), the
 * buckets split in halves.
 */
public class TwoShards implements QuarkusTestProfile {

    public static final String SHARD_1_URL = "jdbc:mysql://127.0.0.1:3306/im_router_test_s1"
            + "?createDatabaseIfNotExist=true&rewriteBatchedStatements=true&allowMultiQueries=true";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "im.router.shards.assignment", "0-2047:0,2048-4095:1",
                "im.router.shards.databases.1.jdbc-url", SHARD_1_URL,
                "im.router.shards.databases.1.username", "root",
                "im.router.shards.databases.1.password", "");
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
