package im.rabbitmq.retry;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One connection to the broker and what hangs on it: a publish channel in confirm mode, a consume
 * channel, and the checks published on it that the broker has not confirmed yet. A link is never
 * repaired: when it breaks the scheduler hands its unconfirmed checks to the local timer and opens
 * a new one (the client's own automatic recovery is off, so that one thread owns reconnecting and
 * the confirm bookkeeping of a dead channel can never mix with a new one's sequence numbers).
 *
 * <p>Threads: {@link #publish} and the lifecycle calls run on the scheduler's publisher thread
 * only; confirms and returns arrive on the client's connection thread; deliveries on the
 * executor the connection was opened with.
 */
final class BrokerLink {

    /** Persistent (delivery mode 2), so a check in a durable queue survives a broker restart. */
    private static final AMQP.BasicProperties CHECK = MessageProperties.PERSISTENT_BASIC.builder()
            .contentType(RetryCheckCodec.CONTENT_TYPE)
            .build();
    private static final long PERMIT_POLL_MILLIS = 100;

    private final Connection connection;
    private final Channel publishChannel;
    private final Channel consumeChannel;
    private final RetryQueues queues;
    /** Publish sequence number -> its message's checks, until the broker confirms (ack) or refuses (nack, return). */
    private final ConcurrentNavigableMap<Long, List<Scheduled>> unconfirmed = new ConcurrentSkipListMap<>();
    private final Semaphore permits;
    private final Consumer<Scheduled> refused;
    private volatile boolean broken;
    private String consumerTag;

    private BrokerLink(Connection connection, Channel publishChannel, Channel consumeChannel, RetryQueues queues,
            int maxUnconfirmed, Consumer<Scheduled> refused) {
        this.connection = connection;
        this.publishChannel = publishChannel;
        this.consumeChannel = consumeChannel;
        this.queues = queues;
        this.permits = new Semaphore(maxUnconfirmed);
        this.refused = refused;
        publishChannel.addConfirmListener((seq, multiple) -> settle(seq, multiple),
                (seq, multiple) -> settle(seq, multiple).forEach(refused));
        // mandatory publishes come back if no queue took them (someone deleted one): the return
        // precedes the ack, and the message id names the pending entry
        publishChannel.addReturnListener(this::returned);
    }

    /**
     * Connects, declares the node's topology (idempotent: same names, same arguments) and turns
     * on publisher confirms. Blocks up to the factory's timeouts: publisher thread only.
     *
     * @param deliveries the executor the client runs consumers on
     * @param refused where a check goes that the broker nacked or returned
     */
    static BrokerLink open(ConnectionFactory factory, ExecutorService deliveries, RetryQueues queues,
            RabbitConfig.Retry limits, Consumer<Scheduled> refused) throws IOException, TimeoutException {
        Connection connection = factory.newConnection(deliveries, queues.exchange());
        try {
            Channel publish = connection.createChannel();
            declare(publish, queues);
            publish.confirmSelect();
            Channel consume = connection.createChannel();
            consume.basicQos(limits.prefetch());
            return new BrokerLink(connection, publish, consume, queues, limits.maxUnconfirmed(), refused);
        } catch (IOException | RuntimeException e) {
            connection.abort();
            throw e;
        }
    }

    private static void declare(Channel channel, RetryQueues queues) throws IOException {
        channel.exchangeDeclare(queues.exchange(), BuiltinExchangeType.DIRECT, true, false, Map.of());
        for (RetryQueues.Level level : queues.levels()) {
            channel.queueDeclare(level.queue(), true, false, false, queues.delayQueueArguments(level));
        }
        channel.queueDeclare(queues.checkQueue(), true, false, false, Map.of());
        for (String queue : queues.allQueues()) {
            channel.queueBind(queue, queues.exchange(), queue);
        }
    }

    boolean isOpen() {
        return !broken && connection.isOpen() && publishChannel.isOpen() && consumeChannel.isOpen();
    }

    boolean consuming() {
        return consumerTag != null;
    }

    /** Starts handing the node's due checks to {@code onDelivery}; it acks each with {@link #ack}. */
    void consume(BiConsumer<BrokerLink, Delivery> onDelivery) throws IOException {
        consumerTag = consumeChannel.basicConsume(queues.checkQueue(), false,
                (tag, delivery) -> onDelivery.accept(this, delivery),
                // cancelled by the broker (the check queue was deleted): a new link declares it again
                tag -> broken = true);
    }

    /** Stops consuming; the checks the broker sent ahead go back to the queue when the link closes. */
    void stopConsuming() {
        if (consumerTag == null) {
            return;
        }
        try {
            consumeChannel.basicCancel(consumerTag);
        } catch (IOException | ShutdownSignalException e) {
            broken = true; // closing anyway
        }
        consumerTag = null;
    }

    /** Acknowledges a due check once handled. A failed ack means the broker sends it again: harmless. */
    void ack(long deliveryTag) {
        try {
            consumeChannel.basicAck(deliveryTag, false);
        } catch (IOException | ShutdownSignalException e) {
            broken = true;
        }
    }

    /**
     * Publishes the checks, all of one level, as one message to that level's queue, waiting while
     * {@code maxUnconfirmed} messages are in flight. Returns false if the link could not take them
     * (the caller keeps them some other way); true means the broker confirms them, refuses them (to
     * {@code refused}), or the link breaks first and {@link #drainUnconfirmed} gives them back.
     */
    boolean publish(List<Scheduled> checks) throws InterruptedException {
        while (!permits.tryAcquire(PERMIT_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (!isOpen()) {
                return false;
            }
        }
        long seq = publishChannel.getNextPublishSeqNo();
        unconfirmed.put(seq, checks);
        AMQP.BasicProperties properties = CHECK.builder().messageId(Long.toString(seq)).build();
        try {
            publishChannel.basicPublish(queues.exchange(), checks.get(0).level().queue(), true, properties,
                    RetryCheckCodec.encode(checks.stream().map(Scheduled::due).toList()));
            return true;
        } catch (IOException | ShutdownSignalException e) {
            broken = true;
            return settle(seq, false).isEmpty();
        }
    }

    /** Checks published and not confirmed yet. */
    int unconfirmed() {
        return unconfirmed.values().stream().mapToInt(List::size).sum();
    }

    /** Removes the confirmed (or refused) entries: one, or all up to {@code seq} if {@code multiple}. */
    private List<Scheduled> settle(long seq, boolean multiple) {
        List<Scheduled> settled = new ArrayList<>();
        int messages = 0;
        if (multiple) {
            Map.Entry<Long, List<Scheduled>> first;
            while ((first = unconfirmed.firstEntry()) != null && first.getKey() <= seq) {
                if (unconfirmed.remove(first.getKey(), first.getValue())) {
                    settled.addAll(first.getValue());
                    messages++;
                }
            }
        } else {
            List<Scheduled> one = unconfirmed.remove(seq);
            if (one != null) {
                settled.addAll(one);
                messages++;
            }
        }
        permits.release(messages);
        return settled;
    }

    private void returned(Return returned) {
        String messageId = returned.getProperties().getMessageId();
        if (messageId != null) {
            settle(Long.parseLong(messageId), false).forEach(refused);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for the broker to confirm what is in flight (at close, so
     * that those checks outlive the process in the queues); returns how many are still unconfirmed.
     */
    int awaitConfirms(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!unconfirmed.isEmpty() && isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return unconfirmed.size();
    }

    /** After close: the checks the broker never confirmed (it may or may not hold them). */
    List<Scheduled> drainUnconfirmed() {
        Map.Entry<Long, List<Scheduled>> last = unconfirmed.lastEntry();
        return last == null ? List.of() : settle(last.getKey(), true);
    }

    /** Closes the connection; unacknowledged deliveries go back to the check queue. */
    void close(int timeoutMillis) {
        broken = true;
        // abort: close without throwing whatever state the connection is in
        connection.abort(timeoutMillis);
    }
}
