package im.kafka.delivery;

import im.common.delivery.DeliveryPublisher;
import im.protocol.delivery.DeliveryEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Cluster form of the router -> push hop: each event becomes a record on the topic of the push node
 * it names ({@link DeliveryTopics#nodeTopic}), its value the event's protobuf bytes.
 *
 * <p>Threads. {@link #publish} runs on the caller (the router's publishing thread) and only offers
 * the event to a bounded queue, so it never waits for Kafka: not for a topic's metadata, not for
 * room in the producer's buffer, not while the broker is down. One sender thread
 * ({@code kafka-delivery-publisher}) takes events in queue order and hands them to the producer,
 * whose own I/O thread sends them. When the queue is full the event is dropped and counted; the
 * sender thread waits at most {@code publish-max-block} per event, so a dead broker drains the
 * queue into the failure count instead of blocking anyone.
 *
 * <p>Order. One queue, one sender thread and an idempotent producer keep the events of one node in
 * publish order on its topic, across the producer's retries too. Records are keyed by node id, so
 * they share one partition even if someone gives the topic more.
 *
 * <p>A failed event costs latency, not data: it was published after the message became durable,
 * and the push node's retransmit or the device's sync brings it. Failures are counted, and logged
 * once when publishing starts failing and once when it recovers, never per event.
 */
@Singleton
public class KafkaDeliveryPublisher implements DeliveryPublisher {

    private static final Logger LOG = Logger.getLogger(KafkaDeliveryPublisher.class);
    // Queued by close() to wake a sender that sleeps on an empty queue; never sent. Without it the
    // sender would have to wake on a timer to look for a close, and an idle router or push node
    // would spend CPU on that ten times a second.
    private static final DeliveryEvent CLOSE = DeliveryEvent.newBuilder().build();
    // On shutdown, queued events get this long to reach the producer and the producer this long to
    // send them; a dead broker must not hold the process up.
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final DeliveryTopics topics;
    private final BlockingQueue<DeliveryEvent> queue;
    private final Producer<String, byte[]> producer;
    private final Thread sender;
    private final LongAdder published = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean failing;
    private volatile boolean closing;
    private volatile long closeDeadlineNanos;

    @Inject
    public KafkaDeliveryPublisher(KafkaDeliveryConfig config, DeliveryTopics topics) {
        this.topics = topics;
        this.queue = new ArrayBlockingQueue<>(config.delivery().publishQueueCapacity());
        this.producer = new KafkaProducer<>(producerProperties(config, topics));
        this.sender = new Thread(this::sendLoop, "kafka-delivery-publisher");
        sender.setDaemon(true);
        sender.start();
    }

    private static Properties producerProperties(KafkaDeliveryConfig config, DeliveryTopics topics) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, topics.publisherClientId());
        // Acked by every in-sync replica, and retried without duplicates or reordering: a broker
        // failover neither loses an acked event nor swaps two events of one node.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, config.delivery().publishMaxInFlight());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.delivery().publishMaxBlock().toMillis());
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.delivery().publishLinger().toMillis());
        // delivery.timeout.ms stays at Kafka's 120 s: an event the producer holds while the broker
        // restarts is sent when it is back; one that expires fails and is counted.
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** Queues the event for its node's topic and returns at once; a full queue drops and counts it. */
    @Override
    public void publish(DeliveryEvent event) {
        if (closing || !queue.offer(event)) {
            fail("the publish queue is full or closed", null);
        }
    }

    /** Events the broker acknowledged. */
    public long published() {
        return published.sum();
    }

    /** Events that did not reach the broker: queue full, bad node id, broker unreachable, timeout. */
    public long failed() {
        return failed.sum();
    }

    private void sendLoop() {
        while (true) {
            DeliveryEvent event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (event != CLOSE) {
                send(event);
            }
            // A queue full at close() had no room for CLOSE: it ends when the queue is empty.
            if (closing && (event == CLOSE || queue.isEmpty() || System.nanoTime() - closeDeadlineNanos > 0)) {
                break;
            }
        }
        // What could not be handed over before the deadline is lost; count it.
        DeliveryEvent left;
        while ((left = queue.poll()) != null) {
            if (left != CLOSE) {
                fail("the publisher closed", null);
            }
        }
    }

    private void send(DeliveryEvent event) {
        ProducerRecord<String, byte[]> record;
        try {
            String nodeId = event.getNodeId();
            record = new ProducerRecord<>(topics.nodeTopic(nodeId), nodeId, event.toByteArray());
        } catch (IllegalArgumentException e) {
            fail("an event names an invalid node", e);
            return;
        }
        try {
            producer.send(record, this::onAck);
        } catch (RuntimeException e) {
            // Metadata and buffer timeouts come to the callback; what is thrown here is a closed
            // producer or a fatal client error. Either way the event did not go.
            fail("the producer refused an event", e);
        }
    }

    // On the producer's I/O thread: keep it short.
    private void onAck(RecordMetadata metadata, Exception error) {
        if (error != null) {
            fail("the broker did not take an event", error);
            return;
        }
        published.increment();
        if (failing) {
            failing = false;
            LOG.infof("Delivery publishing recovered (%d events failed so far)", failed.sum());
        }
    }

    private void fail(String why, Exception cause) {
        failed.increment();
        if (!failing) {
            failing = true;
            LOG.warnf("Delivery publishing is failing: %s (%s); further failures are only counted",
                    why, cause == null ? "no cause" : cause.toString());
        }
    }

    /** Gives queued events a few seconds to reach the broker, then closes the producer. */
    @PreDestroy
    public void close() {
        closeDeadlineNanos = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        closing = true;
        queue.offer(CLOSE);
        try {
            sender.join(CLOSE_TIMEOUT.multipliedBy(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(CLOSE_TIMEOUT);
    }
}
