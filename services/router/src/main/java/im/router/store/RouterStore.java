package im.router.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * The router's shards, each with its group-commit writer: sends and delivery acks of a shard share
 * its transactions. Shard 0 is the {@code router} datasource Quarkus makes and migrates; shards
 * 1..n come from {@code im.router.shards.databases.<n>.*} at run time (Quarkus fixes its named
 * datasources when the app is built, and the number of shards is an operator's choice, not a
 * build's): their pools are made here with Agroal, as Quarkus makes its own, and migrated here with
 * the router datasource's Flyway configuration (same scripts, same history table, same clean
 * setting), before the first request.
 */
@ApplicationScoped
public class RouterStore {

    private static final Logger LOG = Logger.getLogger(RouterStore.class);

    /** Lane ranks: a shared transaction locks send rows (device numbers, conversations) first. */
    public static final int SENDS_RANK = 1;
    public static final int DELIVERY_ACKS_RANK = 2;
    public static final int GROUP_CHANGES_RANK = 3;
    public static final int READ_CURSORS_RANK = 4;
    public static final int CONVERSATION_SETTINGS_RANK = 5;
    public static final int HIDDEN_MESSAGES_RANK = 6;
    /** Rows of uploaded blobs: inserts of new keys only, so last; they lock nothing another lane takes. */
    public static final int MEDIA_BLOBS_RANK = 7;

    @Produces
    @Singleton
    Shards shards(Transactions transactions, StoreConfig config, ShardConfig shardConfig,
            @Any Instance<Flyway> flyways,
            @ConfigProperty(name = "quarkus.flyway." + Transactions.DATASOURCE + ".clean-at-start",
                    defaultValue = "false") boolean cleanAtStart) {
        ShardMap map = ShardMap.parse(shardConfig.buckets(), shardConfig.assignment().orElse(""),
                shardConfig.moving().orElse(""));
        Map<Integer, ShardConfig.Database> extra = numbered(shardConfig.databases());
        if (!extra.isEmpty() && transactions.dialect() != SqlDialect.MYSQL) {
            throw new IllegalStateException("extra router shards need the router datasource on MySQL or MariaDB");
        }
        List<Shards.Shard> shards = new ArrayList<>();
        List<AgroalDataSource> opened = new ArrayList<>();
        shards.add(new Shards.Shard(0, transactions,
                new GroupCommit("router-store", transactions, config.writeAttempts())));
        for (Map.Entry<Integer, ShardConfig.Database> entry : extra.entrySet()) {
            AgroalDataSource dataSource = open(entry.getValue());
            opened.add(dataSource);
            Flyway template = flyways.select(FlywayDataSource.FlywayDataSourceLiteral.of(Transactions.DATASOURCE)).get();
            migrate(template, dataSource, cleanAtStart);
            Transactions shardTransactions = new Transactions(dataSource, transactions.dialect());
            shards.add(new Shards.Shard(entry.getKey(), shardTransactions,
                    new GroupCommit("router-store-s" + entry.getKey(), shardTransactions, config.writeAttempts())));
        }
        if (shards.size() > 1) {
            LOG.infof("Router storage on %d shards, %d buckets", shards.size(), map.buckets());
        }
        return new Shards(map, shards, () -> opened.forEach(AgroalDataSource::close));
    }

    /** Shards are made at start: extra shards are migrated before the first request, and a bad map fails the boot. */
    void start(@Observes StartupEvent event, Shards shards) {
        LOG.debugf("Router shards ready: %d", shards.all().size());
    }

    void stop(@Disposes Shards shards) {
        // Writes already queued are stored and answered; later ones get UNAVAILABLE and are resent.
        shards.stop(5, TimeUnit.SECONDS);
    }

    /**
     * A pool for an extra shard: the MySQL driver by its URL, under READ COMMITTED as the router
     * datasource's configuration asks for shard 0 (gap locks deadlock routers otherwise).
     */
    public static AgroalDataSource open(ShardConfig.Database database) {
        try {
            return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool
                            .maxSize(database.maxSize())
                            .acquisitionTimeout(Duration.ofSeconds(5))
                            .connectionFactoryConfiguration(factory -> factory
                                    .jdbcUrl(database.jdbcUrl())
                                    .jdbcTransactionIsolation(AgroalConnectionFactoryConfiguration.TransactionIsolation.READ_COMMITTED)
                                    .principal(new NamePrincipal(database.username().orElse("")))
                                    .credential(new SimplePassword(database.password().orElse(""))))));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open router shard database " + database.jdbcUrl(), e);
        }
    }

    private static void migrate(Flyway template, AgroalDataSource dataSource, boolean cleanAtStart) {
        Flyway flyway = Flyway.configure().configuration(template.getConfiguration()).dataSource(dataSource).load();
        if (cleanAtStart) {
            flyway.clean();
        }
        flyway.migrate();
    }

    /** Extra shards by number, 1..n without gaps: a missing number is a typo that would strand buckets. */
    private static Map<Integer, ShardConfig.Database> numbered(Map<String, ShardConfig.Database> databases) {
        Map<Integer, ShardConfig.Database> byNumber = new TreeMap<>();
        databases.forEach((key, database) -> byNumber.put(Integer.parseInt(key), database));
        int expected = 1;
        for (int number : byNumber.keySet()) {
            if (number != expected++) {
                throw new IllegalStateException("router shard databases must be numbered 1.." + byNumber.size()
                        + ", found " + byNumber.keySet());
            }
        }
        return byNumber;
    }
}
