package im.router;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The router's store on SQLite, as the standalone app runs it (same connection settings), for the
 * service tests that run on both engines: subclasses of a MariaDB test class carry this profile.
 * A new database file for every run.
 */
public class SqliteRouter implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.router.db-kind", "sqlite",
                "quarkus.datasource.router.jdbc.url", "jdbc:sqlite:target/router-test-${quarkus.uuid}.db"
                        + "?journal_mode=WAL&synchronous=NORMAL&transaction_mode=IMMEDIATE&busy_timeout=10000"
                        + "&temp_store=MEMORY",
                "quarkus.datasource.router.username", "",
                "quarkus.datasource.router.password", "",
                "quarkus.datasource.router.jdbc.transaction-isolation-level", "serializable",
                "quarkus.flyway.router.locations", "db/migration/router-sqlite",
                "quarkus.flyway.router.clean-at-start", "false");
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
