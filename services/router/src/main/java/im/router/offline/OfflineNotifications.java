package im.router.offline;

import im.common.presence.DevicePresence;
import im.protocol.client.Message;
import im.router.routing.DeliveryRouting.MessageRoute;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Tells the operator's webhook of stored messages whose recipients have no online device, so it
 * can wake their phones (APNs, FCM). Off unless {@code im.router.offline-webhook.url} is set.
 *
 * <p>Threads: the routing thread (the group commit's publisher) only picks the recipients and
 * queues their notifications; a full queue drops its oldest, so routing never waits for the
 * receiver. One thread of the hook's own ({@code router-offline-webhook}) takes a batch (what
 * queued within the batch window after its first notification, at most max-batch), posts it and
 * retries it with a doubling backoff, one batch at a time, in queue order.
 *
 * <p>Best effort, like the push path: nothing is persisted, so notifications queued when the
 * router stops are lost; a phone that missed one still gets its messages by sync when opened.
 */
@Singleton
public class OfflineNotifications {

    private static final Logger LOG = Logger.getLogger(OfflineNotifications.class);
    private static final Duration WARN_INTERVAL = Duration.ofMinutes(1);

    /** Why notifications were dropped, for the metrics. */
    public enum Drop {
        /** Pushed out of a full queue by newer ones. */
        QUEUE_FULL,
        /** Every attempt failed (5xx, 408, 429, timeouts, no connection). */
        GAVE_UP,
        /** The receiver refused the call (a 4xx other than 408 and 429); not retried. */
        REFUSED
    }

    private final OfflineWebhookConfig config;
    private final MutedRecipients mutes;
    private final Optional<WebhookTarget> target;
    private final ArrayBlockingQueue<OfflineNotification> queue;
    private final LongAdder queued = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failedCalls = new LongAdder();
    private final Map<Drop, LongAdder> dropped = Map.of(
            Drop.QUEUE_FULL, new LongAdder(), Drop.GAVE_UP, new LongAdder(), Drop.REFUSED, new LongAdder());
    private volatile Thread thread;
    // Only the hook's thread reads and writes these: one WARN line a minute per kind of failure.
    private final Warnings refusedWarnings = new Warnings();
    private final Warnings gaveUpWarnings = new Warnings();

    public OfflineNotifications(OfflineWebhookConfig config, MutedRecipients mutes) {
        this.config = config;
        this.mutes = mutes;
        // Throws on a url without a usable secret: the router does not start (see start).
        this.target = WebhookTarget.of(config);
        if (config.maxBatch() < 1 || config.attempts() < 1 || config.queueCapacity() < 1) {
            throw new IllegalStateException("im.router.offline-webhook: max-batch, attempts and queue-capacity "
                    + "must be at least 1");
        }
        this.queue = new ArrayBlockingQueue<>(target.isPresent() ? config.queueCapacity() : 1);
    }

    /** Creates the bean at boot, so a misconfigured hook stops the router there, and starts the hook's thread. */
    void start(@Observes StartupEvent event) {
        if (target.isEmpty()) {
            return;
        }
        OfflineWebhook webhook = new OfflineWebhook(target.get(), config.timeout(), Clock.systemUTC());
        thread = new Thread(() -> run(webhook), "router-offline-webhook");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Offline notifications go to %s", webhook);
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.interrupt();
        }
    }

    public boolean enabled() {
        return target.isPresent();
    }

    /**
     * Queues a notification for each recipient of each message that has no online device, except
     * the message's sender. Group system messages (a membership change) wake nobody. Called by
     * routing with the presence it looked up for the routes; never blocks, never throws.
     */
    public void offer(List<MessageRoute> routes, Map<Long, List<DevicePresence>> online) {
        if (target.isEmpty()) {
            return;
        }
        for (MessageRoute route : routes) {
            Message message = route.message();
            if (message.hasGroupEvent() || message.hasChange()) {
                // Membership changes, recalls and edits are not news worth waking a phone for.
                continue;
            }
            for (long user : route.recipients()) {
                if (user != message.getSenderId() && online.getOrDefault(user, List.of()).isEmpty()) {
                    enqueue(OfflineNotification.of(message, user));
                }
            }
        }
    }

    private void enqueue(OfflineNotification notification) {
        while (!queue.offer(notification)) {
            if (queue.poll() != null) {
                dropped.get(Drop.QUEUE_FULL).increment();
            }
        }
        queued.increment();
    }

    private void run(OfflineWebhook webhook) {
        try {
            while (true) {
                List<OfflineNotification> batch = nextBatch();
                try {
                    deliver(webhook, batch);
                } catch (RuntimeException e) {
                    // A bug, not the receiver: lose this batch, keep the hook running for the next.
                    dropped.get(Drop.GAVE_UP).add(batch.size());
                    LOG.errorf(e, "Offline webhook batch of %d notifications dropped", batch.size());
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a notification, then takes what else comes within the window, up to max-batch. */
    List<OfflineNotification> nextBatch() throws InterruptedException {
        List<OfflineNotification> batch = new ArrayList<>(Math.min(config.maxBatch(), 64));
        batch.add(queue.take());
        long deadline = System.nanoTime() + config.batchWindow().toNanos();
        while (batch.size() < config.maxBatch()) {
            long left = deadline - System.nanoTime();
            OfflineNotification next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    /** Posts the batch until the receiver takes it or refuses it, or the attempts run out. */
    private void deliver(OfflineWebhook webhook, List<OfflineNotification> batch) throws InterruptedException {
        // Read once per batch, not per attempt: a retried call repeats what the first one said.
        byte[] body = OfflineNotification.payload(batch, mutes.mutedAmong(batch.stream()
                .map(n -> new MutedRecipients.Recipient(n.conversationId(), n.userId())).toList()));
        long backoffNanos = config.backoff().toNanos();
        for (int attempt = 1; ; attempt++) {
            OfflineWebhook.Outcome outcome = webhook.post(body);
            switch (outcome.verdict()) {
                case TAKEN -> {
                    sent.add(batch.size());
                    return;
                }
                case REFUSED -> {
                    failedCalls.increment();
                    dropped.get(Drop.REFUSED).add(batch.size());
                    refusedWarnings.warn(batch.size(), "The offline webhook refused %d notifications since the last "
                            + "line (last: %s); they are not retried: check the receiver and IM_OFFLINE_WEBHOOK_SECRET",
                            outcome.why());
                    return;
                }
                case RETRY -> {
                    failedCalls.increment();
                    if (attempt >= config.attempts()) {
                        dropped.get(Drop.GAVE_UP).add(batch.size());
                        gaveUpWarnings.warn(batch.size(), "The offline webhook failed %d notifications since the last "
                                + "line after " + config.attempts() + " attempts each (last: %s); dropped", outcome.why());
                        return;
                    }
                    LOG.debugf("Offline webhook call %d of %d failed (%s); retrying", attempt, config.attempts(),
                            outcome.why());
                    TimeUnit.NANOSECONDS.sleep(backoffNanos);
                    backoffNanos *= 2;
                }
            }
        }
    }

    /** Notifications queued since start. */
    public long queued() {
        return queued.sum();
    }

    /** Notifications the receiver took (2xx). */
    public long sent() {
        return sent.sum();
    }

    public long dropped(Drop reason) {
        return dropped.get(reason).sum();
    }

    /** Calls that got no 2xx: each retry counts. */
    public long failedCalls() {
        return failedCalls.sum();
    }

    /** Notifications waiting for the hook's thread. */
    public int waiting() {
        return queue.size();
    }

    /** One WARN line a minute for a kind of failure, with the count since the last line. */
    private static final class Warnings {
        private long lastNanos;
        private boolean logged;
        private long since;

        void warn(int count, String format, String why) {
            since += count;
            long now = System.nanoTime();
            if (!logged || now - lastNanos >= WARN_INTERVAL.toNanos()) {
                LOG.warnf(format, since, why);
                logged = true;
                lastNanos = now;
                since = 0;
            }
        }
    }
}
