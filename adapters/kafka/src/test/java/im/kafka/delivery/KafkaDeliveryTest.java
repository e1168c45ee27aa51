package im.kafka.delivery;

import static im.kafka.delivery.RecordingHandler.messageFor;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.InvalidProtocolBufferException;
import im.protocol.delivery.DeliveryEvent;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Router -> push over the real broker on 127.0.0.1:9092, through the app's beans: the publisher,
 * and the consumer that feeds the two handler beans of {@link TestPushNodes}.
 */
@QuarkusTest
class KafkaDeliveryTest {

    // Covers a first group join and topic creation on a busy 2-core machine.
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    KafkaDeliveryPublisher publisher;
    @Inject
    KafkaDeliveryConfig config;
    @Inject
    DeliveryTopics topics;
    @Inject
    TestPushNodes.NodeA nodeA;
    @Inject
    TestPushNodes.NodeB nodeB;

    @BeforeAll
    static void brokerIsUp() {
        // Fail at once with the fix, rather than after every test's patience ran out.
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 9092), 2000);
        } catch (IOException e) {
            fail("No Kafka on 127.0.0.1:9092: run scripts/infra.sh kafka first (" + e + ")");
        }
    }

    @BeforeEach
    void forgetEarlierTests() {
        nodeA.clear();
        nodeB.clear();
    }

    @Test
    void eventsReachOnlyTheHandlerOfTheirNode() {
        long publishedBefore = publisher.published();

        publisher.publish(messageFor(TestPushNodes.A, 1));
        publisher.publish(messageFor(TestPushNodes.B, 2));
        publisher.publish(messageFor(TestPushNodes.ELSEWHERE, 3));
        publisher.publish(messageFor(TestPushNodes.A, 4));
        publisher.publish(messageFor(TestPushNodes.B, 5));

        await().atMost(PATIENCE).until(() -> publisher.published() - publishedBefore == 5);
        await().atMost(PATIENCE).until(() -> nodeA.msgIds().size() >= 2 && nodeB.msgIds().size() >= 2);
        assertEquals(List.of(1L, 4L), nodeA.msgIds());
        assertEquals(List.of(TestPushNodes.A), nodeA.nodeIds());
        assertEquals(List.of(2L, 5L), nodeB.msgIds());
        assertEquals(List.of(TestPushNodes.B), nodeB.nodeIds());
        // The third event waits in the topic of its own node, whose handler runs elsewhere.
        assertEquals(List.of(3L), msgIdsIn(topics.nodeTopic(TestPushNodes.ELSEWHERE)));
    }

    @Test
    void eventsOfOneNodeArriveInPublishOrder() {
        List<Long> published = LongStream.rangeClosed(101, 400).boxed().toList();

        published.forEach(msgId -> publisher.publish(messageFor(TestPushNodes.A, msgId)));

        await().atMost(PATIENCE).until(() -> nodeA.msgIds().size() >= published.size());
        assertEquals(published, nodeA.msgIds());
    }

    @Test
    void restartedConsumerResumesAfterWhatItHandedOver() {
        String node = "push-restarted";
        List<Long> beforeStop = LongStream.rangeClosed(1, 40).boxed().toList();
        List<Long> whileStopped = LongStream.rangeClosed(41, 70).boxed().toList();

        RecordingHandler first = new RecordingHandler(node);
        NodeDeliveryConsumer consumer = new NodeDeliveryConsumer(config, topics, first);
        consumer.start();
        try {
            beforeStop.forEach(msgId -> publisher.publish(messageFor(node, msgId)));
            await().atMost(PATIENCE).until(() -> first.msgIds().size() >= beforeStop.size());
        } finally {
            consumer.stop();
        }
        assertEquals(beforeStop, first.msgIds());

        long publishedBefore = publisher.published();
        whileStopped.forEach(msgId -> publisher.publish(messageFor(node, msgId)));
        await().atMost(PATIENCE).until(() -> publisher.published() - publishedBefore == whileStopped.size());

        RecordingHandler second = new RecordingHandler(node);
        NodeDeliveryConsumer restarted = new NodeDeliveryConsumer(config, topics, second);
        restarted.start();
        try {
            await().atMost(PATIENCE).until(() -> second.msgIds().size() >= whileStopped.size());
            // Nothing committed comes again (a replay would arrive first, ahead of 41), nothing is lost.
            assertEquals(whileStopped, second.msgIds());
        } finally {
            restarted.stop();
        }
    }

    @Test
    void flowingEventsAreCommittedAtMostOncePerInterval_andTheLastOnesWhenTheyStop() throws Exception {
        String node = "push-committing";
        long interval = config.delivery().commitInterval().toNanos();
        RecordingHandler handler = new RecordingHandler(node);
        NodeDeliveryConsumer consumer = new NodeDeliveryConsumer(config, topics, handler);
        consumer.start();
        try {
            publisher.publish(messageFor(node, 1));
            await().atMost(PATIENCE).until(() -> handler.msgIds().size() >= 1);
            long commitsBefore = consumer.commits();
            long start = System.nanoTime();

            // Each event published once the one before it was handed over: a poll per event.
            for (long msgId = 2; msgId <= 60; msgId++) {
                publisher.publish(messageFor(node, msgId));
                long handed = msgId;
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2))
                        .until(() -> handler.msgIds().size() >= handed);
            }
            long elapsed = System.nanoTime() - start;

            long commits = consumer.commits() - commitsBefore;
            assertTrue(commits <= 1 + elapsed / interval,
                    commits + " commits in " + elapsed / 1_000_000 + " ms at one per " + interval / 1_000_000 + " ms");
            // Nothing more comes, and the consumer is not stopped: the rest is committed anyway.
            await().atMost(PATIENCE).until(() -> committedOffset(node) == 60);
        } finally {
            consumer.stop();
        }
    }

    @Test
    void publishNeverBlocksWhenTheBrokerIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaDeliveryConfig unreachable = new KafkaDeliveryConfig() {
            @Override
            public String namespace() {
                // A client id apart from the app's publisher.
                return config.namespace() + "-unreachable";
            }

            @Override
            public String bootstrapServers() {
                return "127.0.0.1:" + closedPort;
            }

            @Override
            public Delivery delivery() {
                return config.delivery();
            }
        };
        KafkaDeliveryPublisher lonely = new KafkaDeliveryPublisher(unreachable, new DeliveryTopics(unreachable));
        try {
            for (long msgId = 1; msgId <= 3; msgId++) {
                lonely.publish(messageFor(TestPushNodes.A, msgId));
            }

            await().atMost(PATIENCE).until(() -> lonely.failed() == 3);
            assertEquals(0, lonely.published());
        } finally {
            lonely.close();
        }
    }

    @Test
    void close_sendsWhatWasQueuedBeforeIt_andEndsTheIdleSender() {
        KafkaDeliveryConfig own = new KafkaDeliveryConfig() {
            @Override
            public String namespace() {
                // Topics and a client id apart from the app's: no handler here consumes these events.
                return config.namespace() + "-closing";
            }

            @Override
            public String bootstrapServers() {
                return config.bootstrapServers();
            }

            @Override
            public Delivery delivery() {
                return config.delivery();
            }
        };
        KafkaDeliveryPublisher closing = new KafkaDeliveryPublisher(own, new DeliveryTopics(own));
        closing.publish(messageFor(TestPushNodes.A, 501));
        await().atMost(PATIENCE).until(() -> closing.published() == 1);

        // The sender now sleeps on an empty queue: close() must wake it, after these are sent.
        closing.publish(messageFor(TestPushNodes.A, 502));
        closing.publish(messageFor(TestPushNodes.A, 503));
        closing.close();

        assertEquals(3, closing.published());
        assertEquals(0, closing.failed());
        closing.publish(messageFor(TestPushNodes.A, 504));
        assertEquals(1, closing.failed());
    }

    @Test
    void idleFetch_waitsAtTheBroker_butReturnsWithTheFirstByte() {
        NodeDeliveryConsumer consumer = new NodeDeliveryConsumer(config, topics, new RecordingHandler("push-fetch"));
        try {
            Properties props = consumer.consumerProperties();
            // A longer wait delays no event only while the broker answers on the first byte.
            assertEquals(1, props.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG));
            int maxWait = (int) props.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
            // Below the client's request timeout (30 s unless set), or an idle fetch would time out.
            Object requestTimeout = props.getOrDefault(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
            assertTrue(maxWait >= 500 && maxWait < ((Number) requestTimeout).intValue(),
                    "fetch.max.wait.ms " + maxWait);
        } finally {
            consumer.stop();
        }
    }

    /** The offset the node's group committed in its topic; -1 when none. */
    private long committedOffset(String node) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(topics.nodeGroup(node))
                    .partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(topics.nodeTopic(node), 0));
            return committed == null ? -1 : committed.offset();
        }
    }

    /** Every msgId the topic holds, read from its start by a consumer outside any group. */
    private List<Long> msgIdsIn(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<Long> msgIds = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition)).get(partition);
            while (reader.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
                    msgIds.add(parse(record.value()).getMessage().getMsgId());
                }
            }
        }
        return msgIds;
    }

    private static DeliveryEvent parse(byte[] value) {
        try {
            return DeliveryEvent.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a DeliveryEvent", e);
        }
    }
}
