package im.router.metrics;

import im.router.offline.OfflineNotifications;
import im.router.offline.OfflineNotifications.Drop;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * The offline webhook in the app's metrics, when it is on: notifications queued, taken by the
 * receiver, and dropped by reason ({@code queue-full}: a receiver too slow or down for long;
 * {@code gave-up}: every attempt failed; {@code refused}: a 4xx, usually a wrong secret or url),
 * failed calls (each retry counts) and the queue's depth.
 */
@Singleton
public class OfflineNotificationMetrics {

    private final MeterRegistry registry;
    private final OfflineNotifications offline;

    public OfflineNotificationMetrics(MeterRegistry registry, OfflineNotifications offline) {
        this.registry = registry;
        this.offline = offline;
    }

    void bind(@Observes StartupEvent event) {
        if (!offline.enabled()) {
            return;
        }
        FunctionCounter.builder("im.router.offline.queued", offline, OfflineNotifications::queued)
                .description("Notifications queued for the offline webhook").register(registry);
        FunctionCounter.builder("im.router.offline.sent", offline, OfflineNotifications::sent)
                .description("Notifications the offline webhook's receiver took").register(registry);
        for (Drop reason : Drop.values()) {
            FunctionCounter.builder("im.router.offline.dropped", offline, hook -> hook.dropped(reason))
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .description("Notifications dropped without reaching the receiver").register(registry);
        }
        FunctionCounter.builder("im.router.offline.webhook.failures", offline, OfflineNotifications::failedCalls)
                .description("Offline webhook calls that got no 2xx, retries included").register(registry);
        Gauge.builder("im.router.offline.queue.depth", offline, OfflineNotifications::waiting)
                .description("Notifications waiting for the offline webhook's thread").register(registry);
    }
}
