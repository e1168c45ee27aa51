package im.router.metrics;

import im.router.store.GroupCommit;
import im.router.store.Shards;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The router's store in the app's metrics: transactions the group commit wrote and the writes
 * they carried (their ratio is the mean batch size, the measure of how well load coalesces), and
 * the writes waiting for the writer (sends and delivery acks): a queue that stays full means the
 * store is the bottleneck and sends are being refused as busy. Each shard's writer is tagged with
 * its number ({@code shard}).
 */
@Singleton
public class RouterMetrics {

    private final MeterRegistry registry;
    private final Shards shards;

    public RouterMetrics(MeterRegistry registry, Shards shards) {
        this.registry = registry;
        this.shards = shards;
    }

    void bind(@Observes StartupEvent event) {
        for (Shards.Shard shard : shards.all()) {
            GroupCommit groupCommit = shard.groupCommit();
            String number = String.valueOf(shard.index());
            FunctionCounter.builder("im.router.commits", groupCommit, GroupCommit::transactionsCommitted)
                    .tag("shard", number)
                    .description("Transactions the group commit wrote").register(registry);
            FunctionCounter.builder("im.router.commit.writes", groupCommit, GroupCommit::writesCommitted)
                    .tag("shard", number)
                    .description("Writes (sends, delivery acks) those transactions carried").register(registry);
            Gauge.builder("im.router.queue.depth", groupCommit, GroupCommit::queued)
                    .tag("shard", number)
                    .description("Writes waiting for the group commit's writer").register(registry);
        }
    }
}
