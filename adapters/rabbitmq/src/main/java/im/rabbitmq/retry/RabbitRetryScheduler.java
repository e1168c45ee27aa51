package im.rabbitmq.retry;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ShutdownSignalException;
import im.common.retry.RetryCheck;
import im.common.retry.RetryConfig;
import im.common.retry.RetryScheduler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The cluster form of {@link RetryScheduler}: a check waits in its push node's delay queue for its
 * backoff level ({@link RetryQueues}), dead-letters into the node's check queue when the level's
 * TTL expires, and is handed to the {@link #onDue} handler from there. Checks of one level handed
 * over within {@code batch-linger} of each other travel as one message ({@link RetryCheckCodec}):
 * the broker's work is per message, and a node schedules a check per Deliver. The queues are durable and
 * the messages persistent, so checks outlive a restart of the push process and of the broker.
 * Wired by module presence: a push service with this module on its classpath uses it.
 *
 * <p>A check is late or local, never silently dropped while the process lives. Every publish is
 * confirmed by the broker; a check it nacks or returns, a check still unconfirmed when the
 * connection breaks, and every check scheduled while the broker is unreachable or the hand-off
 * queue is full, runs on a local timer instead ({@link #fellBackToLocalTimer}). Such a check may
 * run twice (the broker may have kept the unconfirmed copy): a duplicate check is harmless, since
 * the handler finds the entry already retransmitted at a newer attempt, or a device drops the
 * duplicate Deliver by msgId. Only a full local timer drops a check, and that is counted and
 * logged ({@link #dropped}); the store still holds the message for the device's next sync.
 *
 * <p>A delay is rounded up to the shortest level not shorter than it (exact for the delays the
 * push node asks for). A delay longer than the longest level waits in the longest one and, since
 * the check carries its due time, goes round again for what is left.
 *
 * <p>Threads:
 * <ul>
 * <li>callers of {@link #schedule}: only offer to a bounded hand-off queue (or the local timer),
 *     never block, so an event loop may call it;
 * <li>{@code im-rabbitmq-retry-publisher}: owns the connection: connects, declares the node's
 *     topology (idempotent), publishes, reconnects every {@code reconnect-interval} after a loss;
 *     it catches everything, so a broker restart never leaves it dead;
 * <li>{@code im-rabbitmq-retry-due}: runs the handler for checks from the check queue, and acks
 *     each when the handler's stage completes (at most {@code prefetch} checks are out unacked);
 *     the client's own connection thread settles confirms;
 * <li>{@code im-rabbitmq-retry-local}: the local timer (Netty {@link HashedWheelTimer}); runs the
 *     handler for checks that fell back.
 * </ul>
 *
 * <p>Why the plain AMQP client on a thread of its own: SmallRye channels fix one queue per channel
 * in configuration, while a node's queues are named at run time from its node id and its levels,
 * each with its own TTL; and the Vert.x RabbitMQ client wraps this same blocking client, running
 * each call on a Vert.x worker thread. One thread owning the connection gives a bounded hand-off,
 * one place that decides "broker or local timer", and confirm bookkeeping that dies with its
 * channel instead of mixing with the next one's sequence numbers.
 */
@Singleton
public class RabbitRetryScheduler implements RetryScheduler, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RabbitRetryScheduler.class);
    /** While the broker is away, how often the publisher looks up to notice a close. */
    private static final long IDLE_POLL_MILLIS = 100;
    /**
     * How long an idle publisher with an open link sleeps before it looks whether the link broke.
     * A hand-over, a new handler and a close wake it at once; a link that breaks while nothing is
     * handed over costs nothing until the next check, which then goes to the local timer (a broken
     * link publishes nothing), so this only sets how soon a reconnect starts.
     */
    private static final long LINK_CHECK_MILLIS = 1000;
    /**
     * A check that arrives with more than this left goes round again (its delay was longer than
     * the longest level); less is clock skew between the hosts a node ran on, not worth a level.
     */
    private static final long HOP_TOLERANCE_MILLIS = 1000;
    /** A local check that finds no handler yet (start-up) waits this long and looks again. */
    private static final long NO_HANDLER_RETRY_MILLIS = 1000;

    private final RabbitConfig rabbit;
    private final RetryQueues queues;
    private final Clock clock;
    private final ConnectionFactory factory;
    private final BlockingQueue<Scheduled> handOff;
    private final HashedWheelTimer localTimer;
    private final ExecutorService dueThread;
    private final Thread publisher;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean closing;
    /** Null until registered; the check queue is not consumed before, so no check finds none. */
    private static final CompletionStage<?> DONE = CompletableFuture.completedFuture(null);

    private volatile Function<RetryCheck, CompletionStage<?>> handler;
    private volatile BrokerLink link;
    /** Set while the publisher sleeps with nothing to do; whoever gives it work then unparks it. */
    private volatile boolean publisherIdle;

    private final LongAdder scheduled = new LongAdder();
    private final LongAdder fellBackToLocalTimer = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder messagesPublished = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder undecodable = new LongAdder();

    @Inject
    public RabbitRetryScheduler(RabbitConfig rabbit, RetryConfig retry,
            @ConfigProperty(name = "im.push.node-id") String nodeId) {
        this(rabbit, retry, RetryQueues.forNode(rabbit.namespace(), nodeId, retry), Clock.systemUTC());
    }

    /** Not started: {@link #start} connects (the container calls it at start-up). */
    public RabbitRetryScheduler(RabbitConfig rabbit, RetryConfig retry, RetryQueues queues, Clock clock) {
        this.rabbit = rabbit;
        this.queues = queues;
        this.clock = clock;
        this.factory = connectionFactory(rabbit);
        this.handOff = new ArrayBlockingQueue<>(rabbit.retry().handOffCapacity());
        this.localTimer = new HashedWheelTimer(new DefaultThreadFactory("im-rabbitmq-retry-local", true),
                retry.timerTick().toMillis(), TimeUnit.MILLISECONDS, 512, false,
                rabbit.retry().localTimerCapacity());
        // one thread: the handler never blocks, and the prefetch bounds what queues up for it
        this.dueThread = Executors.newSingleThreadExecutor(new DefaultThreadFactory("im-rabbitmq-retry-due", true));
        this.publisher = new DefaultThreadFactory("im-rabbitmq-retry-publisher", true).newThread(this::publishLoop);
    }

    private static ConnectionFactory connectionFactory(RabbitConfig rabbit) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbit.host());
        factory.setPort(rabbit.port());
        factory.setVirtualHost(rabbit.virtualHost());
        factory.setUsername(rabbit.username());
        factory.setPassword(rabbit.password());
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, rabbit.connectTimeout().toMillis());
        factory.setConnectionTimeout(connectMillis);
        factory.setHandshakeTimeout(connectMillis);
        factory.setRequestedHeartbeat((int) Math.max(1, rabbit.heartbeat().toSeconds()));
        // the publisher thread reconnects itself: see BrokerLink
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        return factory;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Starts connecting in the background; checks scheduled before wait in the hand-off queue. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            publisher.start();
        }
    }

    @Override
    public void onDue(Function<RetryCheck, CompletionStage<?>> handler) {
        this.handler = handler;
        // the publisher thread starts consuming the check queue when it wakes
        LockSupport.unpark(publisher);
    }

    @Override
    public void schedule(RetryCheck check, Duration delay) {
        scheduled.increment();
        Duration wait = delay.isNegative() ? Duration.ZERO : delay;
        handOver(new DueCheck(check, clock.millis() + wait.toMillis()), wait);
    }

    private void handOver(DueCheck due, Duration wait) {
        Scheduled item = new Scheduled(due, queues.levelFor(wait));
        if (closing || !handOff.offer(item)) {
            fallBack(item);
        } else if (publisherIdle) {
            LockSupport.unpark(publisher);
        }
    }

    /** The publisher thread: connect, publish until the link breaks, repeat until closed. */
    private void publishLoop() {
        boolean away = false;
        try {
            while (!closing) {
                try {
                    away = runOneLink(away);
                } catch (RuntimeException e) {
                    // a bug, not the broker: keep the thread alive and try again after a pause
                    LOG.errorf(e, "retry publisher of node %s failed; retrying", queues.nodeId());
                    away = true;
                    fallBackFor(rabbit.reconnectInterval());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Scheduled left;
        while ((left = handOff.poll()) != null) {
            fallBack(left);
        }
    }

    /** Opens a link and publishes on it until it breaks or the scheduler closes; true if the broker is away. */
    private boolean runOneLink(boolean away) throws InterruptedException {
        BrokerLink current;
        try {
            current = BrokerLink.open(factory, dueThread, queues, rabbit.retry(), this::refusedByBroker);
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            if (away) {
                LOG.debugf("broker still unreachable for node %s: %s", queues.nodeId(), reason(e));
            } else {
                LOG.warnf("broker %s:%d unreachable for the retry queues of node %s (%s): checks run on the "
                        + "local timer until it is back", rabbit.host(), rabbit.port(), queues.nodeId(), reason(e));
            }
            fallBackFor(rabbit.reconnectInterval());
            return true;
        }
        if (away) {
            LOG.infof("retry queues of node %s reachable again", queues.nodeId());
        }
        long openedAt = System.nanoTime();
        link = current;
        try {
            publishWhileOpen(current);
            if (closing) {
                closeGracefully(current);
            }
        } finally {
            link = null;
            current.close((int) Math.min(Integer.MAX_VALUE, rabbit.connectTimeout().toMillis()));
            var stranded = current.drainUnconfirmed();
            stranded.forEach(this::fallBack);
            if (!closing) {
                LOG.warnf("lost the broker connection of node %s; %d unconfirmed checks moved to the local timer, "
                        + "reconnecting", queues.nodeId(), stranded.size());
            }
        }
        if (!closing && System.nanoTime() - openedAt < rabbit.reconnectInterval().toNanos()) {
            // a link that breaks as soon as it opens (a queue deleted under its consumer, a broker
            // closing connections): pause like after a refused connect instead of spinning
            fallBackFor(rabbit.reconnectInterval());
        }
        return !closing;
    }

    /** A channel error (a queue declared elsewhere with other arguments) hides its reason in the cause. */
    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : String.valueOf(e.getCause());
    }

    private void publishWhileOpen(BrokerLink current) throws InterruptedException {
        while (!closing && current.isOpen()) {
            if (handler != null && !current.consuming()) {
                try {
                    current.consume(this::onDelivery);
                } catch (IOException | ShutdownSignalException e) {
                    return; // the channel is gone: a new link consumes
                }
            }
            Scheduled first = handOff.poll();
            if (first == null) {
                sleepUntilWoken(current);
            } else {
                publish(current, gather(first, rabbit.retry().batchLinger()));
            }
        }
    }

    /**
     * Parks the publisher until a hand-over, a new handler or a close unparks it, or for
     * {@value #LINK_CHECK_MILLIS} ms: an idle node then costs a wake-up a second, not ten.
     */
    private void sleepUntilWoken(BrokerLink current) throws InterruptedException {
        publisherIdle = true;
        try {
            // The flag first, then the look: a hand-over this look misses sees the flag and unparks.
            if (handOff.isEmpty() && !closing && (handler == null || current.consuming())) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(LINK_CHECK_MILLIS));
            }
        } finally {
            publisherIdle = false;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** {@code first} and what else is handed over within {@code linger}, up to a message's worth. */
    private List<Scheduled> gather(Scheduled first, Duration linger) throws InterruptedException {
        List<Scheduled> batch = new ArrayList<>();
        batch.add(first);
        long deadline = System.nanoTime() + linger.toNanos();
        long left;
        while (batch.size() < RetryCheckCodec.MAX_CHECKS && (left = deadline - System.nanoTime()) > 0) {
            Scheduled next = handOff.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            handOff.drainTo(batch, RetryCheckCodec.MAX_CHECKS - batch.size());
        }
        return batch;
    }

    /** One message per level; what the link cannot take goes to the local timer. */
    private void publish(BrokerLink current, List<Scheduled> batch) throws InterruptedException {
        Map<RetryQueues.Level, List<Scheduled>> byLevel = new LinkedHashMap<>();
        batch.forEach(item -> byLevel.computeIfAbsent(item.level(), level -> new ArrayList<>()).add(item));
        for (List<Scheduled> sameLevel : byLevel.values()) {
            if (current.publish(sameLevel)) {
                messagesPublished.increment();
            } else {
                sameLevel.forEach(this::fallBack);
            }
        }
    }

    /** Closing with the broker there: publish what was handed over, so it outlives the process. */
    private void closeGracefully(BrokerLink current) throws InterruptedException {
        current.stopConsuming();
        Scheduled next;
        while (current.isOpen() && (next = handOff.poll()) != null) {
            publish(current, gather(next, Duration.ZERO));
        }
        current.awaitConfirms(rabbit.retry().closeTimeout().toMillis());
    }

    /** While the broker is away: everything handed over goes to the local timer, for one pause. */
    private void fallBackFor(Duration pause) throws InterruptedException {
        long deadline = System.nanoTime() + pause.toNanos();
        long left;
        while (!closing && (left = deadline - System.nanoTime()) > 0) {
            Scheduled next = handOff.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS)),
                    TimeUnit.NANOSECONDS);
            if (next != null) {
                fallBack(next);
            }
        }
    }

    private void refusedByBroker(Scheduled item) {
        LOG.debugf("broker refused a retry check for queue %s; it runs on the local timer", item.level().queue());
        fallBack(item);
    }

    /** Due checks from the check queue (due thread): run each, or send it round again; then ack. */
    private void onDelivery(BrokerLink from, Delivery delivery) {
        long tag = delivery.getEnvelope().getDeliveryTag();
        List<DueCheck> checks;
        try {
            checks = RetryCheckCodec.decode(delivery.getBody());
        } catch (IllegalArgumentException e) {
            undecodable.increment();
            LOG.warnf("dropped an unreadable message from %s: %s", queues.checkQueue(), e.getMessage());
            from.ack(tag);
            return;
        }
        List<CompletableFuture<?>> running = new ArrayList<>(checks.size());
        for (DueCheck due : checks) {
            long remaining = due.dueAtEpochMillis() - clock.millis();
            if (remaining > HOP_TOLERANCE_MILLIS) {
                handOver(due, Duration.ofMillis(remaining));
            } else {
                running.add(runDue(due.check()).toCompletableFuture());
            }
        }
        // acked once the node has done the checks (looked up the entries, sent them again): a node
        // that dies before leaves the message unacked, and the broker hands it to the node's next
        // life. The ack goes back to this thread, the only one that uses the consuming channel.
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> {
            try {
                dueThread.execute(() -> from.ack(tag));
            } catch (RejectedExecutionException e) {
                // closing: the unacked check goes back to the queue with the link
            }
        });
    }

    private void fallBack(Scheduled item) {
        long remaining = Math.max(0, item.due().dueAtEpochMillis() - clock.millis());
        try {
            localTimer.newTimeout(timeout -> runDue(item.due().check()), remaining, TimeUnit.MILLISECONDS);
            fellBackToLocalTimer.increment();
        } catch (IllegalStateException | RejectedExecutionException e) {
            // stopped (closing) or full: the device gets the message by gap detection or its next Hello
            dropped.increment();
            long count = dropped.sum();
            if (count == 1 || count % 10_000 == 0) {
                LOG.warnf("retry checks dropped so far on node %s: %d (local timer %s)", queues.nodeId(), count,
                        closing ? "stopped" : "full");
            }
        }
    }

    private CompletionStage<?> runDue(RetryCheck check) {
        Function<RetryCheck, CompletionStage<?>> current = handler;
        if (current == null) {
            // only the local timer can get here first (the check queue is consumed once a handler exists)
            fallBack(new Scheduled(new DueCheck(check, clock.millis() + NO_HANDLER_RETRY_MILLIS),
                    queues.levelFor(Duration.ofMillis(NO_HANDLER_RETRY_MILLIS))));
            return DONE;
        }
        delivered.increment();
        try {
            return current.apply(check);
        } catch (RuntimeException e) {
            // one bad check must not stop the others; it is acked: retrying a throwing handler loops
            LOG.warnf(e, "retry check failed for user %d device %s", check.userId(), check.deviceId());
            return DONE;
        }
    }

    /**
     * Stops: checks still handed over are published (up to {@code close-timeout}) so they outlive
     * the process; checks on the local timer are not run, and their number is logged.
     */
    @PreDestroy
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        LockSupport.unpark(publisher);
        try {
            if (started.get()) {
                publisher.join(rabbit.retry().closeTimeout().plus(rabbit.connectTimeout()).toMillis() + 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Scheduled left;
        while ((left = handOff.poll()) != null) {
            fallBack(left);
        }
        dueThread.shutdown();
        Set<Timeout> unrun = localTimer.stop();
        if (!unrun.isEmpty()) {
            LOG.warnf("%d retry checks on the local timer of node %s not run: the process stops (their devices "
                    + "catch up at their next Hello)", unrun.size(), queues.nodeId());
        }
    }

    /** The names this scheduler uses. */
    public RetryQueues queues() {
        return queues;
    }

    /** True while a link to the broker is open. */
    public boolean connected() {
        BrokerLink current = link;
        return current != null && current.isOpen();
    }

    /** Checks published and not confirmed by the broker yet. */
    public int unconfirmed() {
        BrokerLink current = link;
        return current == null ? 0 : current.unconfirmed();
    }

    /** Checks scheduled by callers (checks going round again are not counted twice). */
    public long scheduled() {
        return scheduled.sum();
    }

    /** Messages published to the delay queues, each carrying one or more checks. */
    public long messagesPublished() {
        return messagesPublished.sum();
    }

    /** Checks that the broker could not take and that went to the local timer instead. */
    public long fellBackToLocalTimer() {
        return fellBackToLocalTimer.sum();
    }

    /** Checks handed to the handler, from the check queue or the local timer. */
    public long delivered() {
        return delivered.sum();
    }

    /** Checks lost: the local timer was full, or the scheduler had stopped. */
    public long dropped() {
        return dropped.sum();
    }

    /** Messages in the check queue that were not a readable check (acked and counted). */
    public long undecodable() {
        return undecodable.sum();
    }
}
