package im.router.metrics;

import im.router.store.GroupCommit;
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
 * store is the bottleneck and sends are being refused as busy.
 */
@Singleton
public class RouterMetrics {

    private final MeterRegistry registry;
    private final GroupCommit groupCommit;

    public RouterMetrics(MeterRegistry registry, GroupCommit groupCommit) {
        this.registry = registry;
        this.groupCommit = groupCommit;
    }

    void bind(@Observes StartupEvent event) {
        FunctionCounter.builder("im.router.commits", groupCommit, GroupCommit::transactionsCommitted)
                .description("Transactions the group commit wrote").register(registry);
        FunctionCounter.builder("im.router.commit.writes", groupCommit, GroupCommit::writesCommitted)
                .description("Writes (sends, delivery acks) those transactions carried").register(registry);
        Gauge.builder("im.router.queue.depth", groupCommit, GroupCommit::queued)
                .description("Writes waiting for the group commit's writer").register(registry);
    }
}
