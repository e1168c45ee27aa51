package im.kafka.delivery;

import com.google.protobuf.InvalidProtocolBufferException;
import im.common.delivery.DeliveryHandler;
import im.protocol.delivery.DeliveryEvent;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Feeds one push node's {@link DeliveryHandler} from that node's topic, in the node's own consumer
 * group, and commits an offset only after the events before it were handed to the handler.
 *
 * <p>Thread: one platform thread ({@code kafka-delivery-<nodeId>}) creates the topic if it is
 * missing, then owns the {@link KafkaConsumer}, which is not thread-safe. {@link #stop} is the one
 * call from outside; it uses {@link KafkaConsumer#wakeup}, the consumer's one thread-safe method.
 *
 * <p>Delivery: at least once. An offset is committed only after the events before it were handed
 * over: at most once per {@code commit-interval} while events flow, once more when they stop, on a
 * rebalance and on stop. So a node stopped or moved resumes after what it handed over, and a
 * crashed one replays at most the last interval's events, which devices drop by msgId.
 *
 * <p>Faults: while the broker is away {@code poll} returns nothing and the client reconnects by
 * itself; a failed commit is covered by the next one. No error ends the thread except
 * {@link #stop} and a fence (another process took this node's member id, see below).
 */
public final class NodeDeliveryConsumer {

    private static final Logger LOG = Logger.getLogger(NodeDeliveryConsumer.class);
    // How long an idle poll waits. stop() wakes a waiting poll at once, so this only sets how often
    // an idle thread loops; it does not delay a record (poll returns as soon as one arrives).
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(5);
    // How long the broker holds a fetch that finds nothing. It answers as soon as one byte arrives
    // (FETCH_MIN_BYTES), so this delays no event; it only sets how often an idle node and the
    // broker trade empty fetches (Kafka's default 500 ms: twice a second, for nothing). Not longer:
    // on stop the consumer's last request (closing its fetch session) waits behind the held fetch
    // on the same connection, so this is also what a stop may take. Well below request.timeout.ms
    // (30 s), so a held fetch never times out.
    static final Duration IDLE_FETCH_WAIT = Duration.ofSeconds(2);
    static final int FETCH_MIN_BYTES = 1;
    // Bounds on the blocking calls of startup and shutdown, so a dead broker cannot hold either.
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    // Pause after an unexpected client error or a failed topic creation before trying again.
    private static final long RETRY_BACKOFF_MILLIS = 1000;

    private final KafkaDeliveryConfig config;
    private final DeliveryHandler handler;
    private final String nodeId;
    private final String topic;
    private final String group;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final LongAdder handedOver = new LongAdder();
    // written by the polling thread (rebalance callbacks), read by health checks
    private volatile boolean assigned;
    private final LongAdder failures = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final long commitIntervalNanos;
    private volatile boolean running = true;

    public NodeDeliveryConsumer(KafkaDeliveryConfig config, DeliveryTopics topics, DeliveryHandler handler) {
        this.config = config;
        this.handler = handler;
        this.nodeId = handler.nodeId();
        this.topic = topics.nodeTopic(nodeId);
        this.group = topics.nodeGroup(nodeId);
        this.consumer = new KafkaConsumer<>(consumerProperties());
        this.commitIntervalNanos = config.delivery().commitInterval().toNanos();
        this.thread = new Thread(this::run, "kafka-delivery-" + nodeId);
        // The ShutdownEvent stops it cleanly; daemon so that a forgotten stop cannot hold the JVM.
        thread.setDaemon(true);
    }

    Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
        // Static membership: a node that restarts (even after kill -9) takes its partition back at
        // once under the same member id, instead of waiting a session timeout for its dead self to
        // expire. A second process with the same node id fences the first, so one node's events
        // are never consumed twice at the same time.
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group);
        // Commit only what was handed to the handler (see run()), never on a timer.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A node's first start has no committed offset. Events may already wait in its topic: the
        // node registers presence when its first device connects, and the router publishes from
        // then on, possibly before this consumer got its partition assigned. "latest" would skip
        // those; "earliest" delivers them (the topic's retention bounds how far back that reads).
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) IDLE_FETCH_WAIT.toMillis());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Whether the node's topic is assigned to this consumer: until then its events wait in Kafka. */
    public boolean assigned() {
        return assigned;
    }

    /** The client, for its metrics (lag, fetch rates): read-only use from other threads. */
    KafkaConsumer<String, byte[]> client() {
        return consumer;
    }

    /** Events handed to the handler since this consumer started. */
    public long handedOver() {
        return handedOver.sum();
    }

    /** Records that did not reach the handler (undecodable, or the handler threw) and client errors. */
    public long failures() {
        return failures.sum();
    }

    /** Offset commits this consumer asked for outside rebalances and stop. */
    public long commits() {
        return commits.sum();
    }

    public void start() {
        thread.start();
    }

    /**
     * Stops consuming, commits what was handed over and closes the consumer; returns when done
     * (bounded: a dead broker costs at most the commit and close timeouts).
     */
    public void stop() {
        running = false;
        if (!thread.isAlive()) {
            if (thread.getState() == Thread.State.NEW) {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            }
            return;
        }
        consumer.wakeup();
        try {
            thread.join(ADMIN_TIMEOUT.plus(CLOSE_TIMEOUT).multipliedBy(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        boolean fenced = false;
        try {
            ensureTopic();
            consumer.subscribe(List.of(topic), new CommitBeforeRevoke());
            // Every commit is a request and a write to the broker's offsets log. Committing after
            // each poll made them as many as the fetches: at a few hundred events a second, with one
            // or two per fetch, that was a quarter of the broker's work and of this thread's.
            long lastCommit = System.nanoTime() - commitIntervalNanos;
            boolean uncommitted = false;
            while (running) {
                try {
                    // With handed-over events not yet committed, poll no longer than until their
                    // commit is due, so a stream that stops is committed one interval later.
                    Duration timeout = uncommitted
                            ? Duration.ofNanos(Math.max(0, lastCommit + commitIntervalNanos - System.nanoTime()))
                            : POLL_TIMEOUT;
                    ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
                    for (ConsumerRecord<String, byte[]> record : records) {
                        handOver(record);
                    }
                    uncommitted |= !records.isEmpty();
                    long now = System.nanoTime();
                    if (uncommitted && now - lastCommit >= commitIntervalNanos) {
                        // The positions now stand after what was handed over. Async: the next
                        // commit (or the one on stop) covers one that fails.
                        consumer.commitAsync(this::onCommit);
                        commits.increment();
                        lastCommit = now;
                        uncommitted = false;
                    }
                } catch (WakeupException e) {
                    // stop() woke the poll: the loop condition ends the loop.
                } catch (FencedInstanceIdException e) {
                    LOG.errorf("Another process consumes the deliveries of node %s (member id %s); "
                            + "this one stops consuming", nodeId, group);
                    fenced = true;
                    break;
                } catch (KafkaException e) {
                    failures.increment();
                    LOG.warnf(e, "Consuming %s failed; retrying", topic);
                    pause();
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "The delivery consumer of node %s stopped", nodeId);
        } finally {
            close(!fenced);
        }
    }

    private void handOver(ConsumerRecord<String, byte[]> record) {
        DeliveryEvent event;
        try {
            if (record.value() == null) {
                throw new InvalidProtocolBufferException("no value");
            }
            event = DeliveryEvent.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            // Not written by KafkaDeliveryPublisher; nothing to hand over.
            failures.increment();
            LOG.warnf("Skipped an undecodable record at %s-%d@%d", topic, record.partition(), record.offset());
            return;
        }
        try {
            handler.onDelivery(event);
            handedOver.increment();
        } catch (RuntimeException e) {
            // One bad event must not stop the node's deliveries. It is skipped: the device gets the
            // message by retransmit or sync.
            failures.increment();
            LOG.warnf(e, "The handler of node %s failed on an event; skipped", nodeId);
        }
    }

    private void onCommit(Map<TopicPartition, ?> offsets, Exception error) {
        if (error != null) {
            LOG.debugf("Commit of %s failed (the next one covers it): %s", group, error);
        }
    }

    /**
     * Creates the node's topic unless it exists: one partition, so one node's events keep their
     * order, and a retention of {@code topic-retention}. Retries while the broker is unreachable;
     * a refusal (no permission, say) is logged and consuming goes on with the topic as it is.
     */
    private void ensureTopic() {
        long retentionMs = config.delivery().topicRetention().toMillis();
        NewTopic newTopic = new NewTopic(topic, 1, (short) config.delivery().topicReplicationFactor())
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs),
                        // Retention deletes whole closed segments only, and a quiet topic would
                        // keep its active segment for Kafka's default 7 days: roll it as often.
                        TopicConfig.SEGMENT_MS_CONFIG, Long.toString(retentionMs)));
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(props)) {
            boolean warned = false;
            while (running) {
                try {
                    admin.createTopics(List.of(newTopic)).all().get();
                    LOG.infof("Created topic %s", topic);
                    return;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof TopicExistsException) {
                        return;
                    }
                    if (!(cause instanceof RetriableException)) {
                        LOG.warnf("Could not create topic %s (%s); consuming it as it is", topic, cause);
                        return;
                    }
                    if (!warned) {
                        LOG.warnf("Cannot reach Kafka to create topic %s (%s); retrying", topic, cause);
                        warned = true;
                    }
                    pause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    // Runs inside poll(), after the batch before it was handed over: the positions are safe to commit.
    private final class CommitBeforeRevoke implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitHandedOver();
            assigned = false;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = assigned || !partitions.isEmpty();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            assigned = false;
        }
    }

    private void commitHandedOver() {
        try {
            consumer.commitSync(CLOSE_TIMEOUT);
        } catch (WakeupException e) {
            // A stop() that came while no poll was waiting leaves its wakeup pending for the next
            // blocking call, which is this one: the commit still has to happen.
            commitHandedOver();
        } catch (KafkaException e) {
            LOG.warnf("Could not commit the offsets of %s (%s); a restart replays from the last commit", group, e);
        }
    }

    private void close(boolean commit) {
        try {
            if (commit) {
                commitHandedOver();
            }
        } finally {
            // A static member stays in its group on close: a restart under the same id resumes at
            // once, without a rebalance.
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_BACKOFF_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
