package im.push.retry;

import im.common.delivery.DeliveryPublisher;
import im.common.presence.DevicePresence;
import im.common.presence.PresenceRegistry;
import im.common.retry.DeviceKey;
import im.common.retry.PendingAcks;
import im.common.retry.PendingDelivery;
import im.common.retry.RetryCheck;
import im.common.retry.RetryConfig;
import im.common.retry.RetryScheduler;
import im.protocol.client.Message;
import im.protocol.delivery.DeliveryEvent;
import im.push.PushConfig;
import im.push.session.SessionWorkers;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Ack and retransmit: every Deliver written to a device is pending until the device acknowledges
 * it; a check due {@code timeout * 2^attempt} later sends it again, with the next attempt, through
 * the normal route (presence names the node that holds the device now), until {@code
 * max-attempts} retransmissions have gone unanswered. Then the entry is dropped: the store is the
 * inbox, so the device gets the message by gap detection or at its next Hello.
 *
 * <p>Threads: {@link #sent} and {@link #acknowledged} run wherever deliveries are written and acks
 * read (event loops, delivery threads) and only start {@link PendingAcks} calls, which never block;
 * a due check waits for the entry asynchronously and moves the presence lookup (Redis in a cluster)
 * and the publish to the session workers.
 */
@Singleton
public class DeliveryRetries {

    private static final Logger LOG = Logger.getLogger(DeliveryRetries.class);

    private final RetryConfig config;
    private final PendingAcks pending;
    private final RetryScheduler scheduler;
    private final PresenceRegistry presence;
    private final DeliveryPublisher publisher;
    private final Executor workers;
    private final String nodeId;
    private final LongAdder retransmitted = new LongAdder();
    private final LongAdder givenUp = new LongAdder();
    private final LongAdder overflowed = new LongAdder();

    @Inject
    public DeliveryRetries(RetryConfig config, PendingAcks pending, RetryScheduler scheduler,
            PresenceRegistry presence, DeliveryPublisher publisher, SessionWorkers workers, PushConfig push) {
        this(config, pending, scheduler, presence, publisher, (Executor) workers, push.nodeId());
    }

    /** With an explicit executor and node id (unit tests, and callers outside CDI). */
    public DeliveryRetries(RetryConfig config, PendingAcks pending, RetryScheduler scheduler, PresenceRegistry presence,
            DeliveryPublisher publisher, Executor workers, String nodeId) {
        this.config = config;
        this.pending = pending;
        this.scheduler = scheduler;
        this.presence = presence;
        this.publisher = publisher;
        this.workers = workers;
        this.nodeId = nodeId;
        scheduler.onDue(this::check);
    }

    /** A Deliver of the message went to the device: pending until acked, checked after the backoff. */
    public void sent(DeviceKey device, Message message, int attempt) {
        pending.record(device, new PendingDelivery(message, attempt)).whenComplete((forgotOlder, failure) -> {
            if (failure != null) {
                LOG.debugf("pending delivery of user %d not recorded: %s", device.userId(), failure.getMessage());
            } else if (forgotOlder) {
                overflowed.increment();
            }
        });
        scheduler.schedule(new RetryCheck(device.userId(), device.deviceId(), message.getConversationId(),
                message.getSeq(), attempt), delayBefore(attempt));
    }

    /** The device holds the conversation up to {@code seq} (DeliverAck): none of it is sent again. */
    public void acknowledged(DeviceKey device, String conversationId, long seq) {
        pending.acknowledge(device, conversationId, seq);
    }

    /** The device's session here closed: its deliveries are not retried (Hello catches it up). */
    public void closed(DeviceKey device) {
        pending.clear(device);
    }

    /** How long after writing attempt n its check is due: {@code timeout * 2^n}. */
    public Duration delayBefore(int attempt) {
        return config.delayBefore(attempt);
    }

    /**
     * A check is due (scheduler thread): nothing to do unless the same attempt is still pending.
     * The stage completes once the check is done (the entry read; a retransmission published or
     * the delivery given up), which is when a durable scheduler may let the check go.
     */
    CompletionStage<?> check(RetryCheck check) {
        return pending.find(check.device(), check.conversationId(), check.seq())
                .thenCompose(entry -> checkEntry(check, entry))
                .exceptionally(failure -> {
                    LOG.debugf("retry check of user %d failed: %s", check.userId(), failure.getMessage());
                    return null;
                });
    }

    private CompletionStage<?> checkEntry(RetryCheck check, Optional<PendingDelivery> entry) {
        if (entry.isEmpty() || entry.get().attempt() != check.attempt()) {
            // acked, cleared, forgotten, or a newer attempt has its own check
            return CompletableFuture.completedFuture(null);
        }
        if (check.attempt() >= config.maxAttempts()) {
            return giveUp(check);
        }
        Message message = entry.get().message();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    retransmit(check, message);
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            return giveUp(check);
        }
        return done;
    }

    /** On a worker: find the device's node now and send the next attempt there. */
    private void retransmit(RetryCheck check, Message message) {
        String node;
        try {
            node = presence.devices(check.userId()).stream()
                    .filter(device -> device.deviceId().equals(check.deviceId()))
                    .map(DevicePresence::nodeId)
                    .findFirst().orElse(null);
        } catch (RuntimeException e) {
            LOG.debugf("presence unavailable for a retransmission to user %d: %s", check.userId(), e.getMessage());
            giveUp(check);
            return;
        }
        if (node == null) {
            // gone: its next Hello catches it up
            pending.remove(check.device(), check.conversationId(), check.seq(), check.attempt());
            return;
        }
        if (!node.equals(nodeId)) {
            // the node that writes the retransmission records it and checks it from there
            pending.remove(check.device(), check.conversationId(), check.seq(), check.attempt());
        }
        retransmitted.increment();
        try {
            publisher.publish(DeliveryEvent.newBuilder()
                    .setNodeId(node)
                    .addUserIds(check.userId())
                    .setTargetDeviceId(check.deviceId())
                    .setAttempt(check.attempt() + 1)
                    .setMessage(message)
                    .build());
        } catch (RuntimeException e) {
            LOG.debugf("retransmission to user %d not published: %s", check.userId(), e.getMessage());
            giveUp(check);
        }
    }

    private CompletionStage<Void> giveUp(RetryCheck check) {
        return pending.remove(check.device(), check.conversationId(), check.seq(), check.attempt())
                .thenAccept(removed -> {
                    if (removed) {
                        givenUp.increment();
                    }
                });
    }

    /** Retransmissions published. */
    public long retransmitted() {
        return retransmitted.sum();
    }

    /** Deliveries dropped after their last attempt went unanswered (or could not be retried). */
    public long givenUp() {
        return givenUp.sum();
    }

    /** Pending entries forgotten because a device had too many. */
    public long overflowed() {
        return overflowed.sum();
    }
}
