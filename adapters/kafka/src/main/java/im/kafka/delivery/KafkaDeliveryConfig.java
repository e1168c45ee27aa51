package im.kafka.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The Kafka form of the router -> push hop: where the broker is and how node topics are kept. */
@ConfigMapping(prefix = "im.kafka")
public interface KafkaDeliveryConfig {

    /**
     * First part of every topic and group name of this module (see {@link DeliveryTopics}). "im"
     * suits a cluster with its own Kafka; a shared Kafka, or tests that must not see the topics of
     * an earlier run, set their own.
     */
    @WithDefault("im")
    String namespace();

    /**
     * Brokers to bootstrap from. Defaults to Quarkus' usual {@code kafka.bootstrap.servers}, so the
     * cluster overlay sets the one key every Kafka client of a Quarkus app reads; localhost:9092 is
     * the broker that {@code scripts/infra.sh kafka} runs.
     */
    @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
    String bootstrapServers();

    /** Node topics and the two clients that use them. */
    Delivery delivery();

    interface Delivery {

        /**
         * Replicas of a node topic created at startup. 1 suits the single broker of tests and small
         * clusters; a lost event costs latency, not data (retransmit and sync recover it), so a
         * cluster raises it for availability across a broker restart, not for durability.
         */
        @WithDefault("1")
        int topicReplicationFactor();

        /**
         * How long a node topic keeps events. An event matters only while the devices it names are
         * connected: a node down for longer has lost its sessions, its devices have reconnected and
         * caught up by sync, and replaying older events would only send duplicates. An hour covers
         * a node restart or a broker outage with a wide margin and keeps the topic small.
         */
        @WithDefault("1h")
        Duration topicRetention();

        /**
         * Events waiting for the producer. When it is full (the broker is down for long), new
         * events are dropped and counted as failed: their devices catch up by retransmit and sync.
         * 10,000 holds about ten seconds of a router's deliveries at 1,000 messages/s across a
         * handful of push nodes, at a few MB of memory.
         */
        @WithDefault("10000")
        int publishQueueCapacity();

        /**
         * Longest the publisher's sender thread waits for a topic's metadata or for room in the
         * producer's buffer before the event fails (Kafka's {@code max.block.ms}). Only that thread
         * waits, never the router; metadata on a live cluster comes in milliseconds, so one second
         * fails fast on a dead broker and does not fail a slow but live one.
         */
        @WithDefault("1s")
        Duration publishMaxBlock();

        /**
         * How long the producer holds an event for others to share its request (Kafka's
         * {@code linger.ms}, 5 ms by default since Kafka 4.0). 0: the router already gathers one
         * event per node per commit, and at light load a linger only delays every delivery.
         */
        @WithDefault("0ms")
        Duration publishLinger();

        /**
         * Produce requests in flight to one broker (Kafka's
         * {@code max.in.flight.requests.per.connection}; idempotence keeps order up to 5). With 1,
         * the events that come while a request is out gather into the next: fewer requests at a
         * middling rate, but on a saturated machine every event also waits for the request ahead
         * of it, and the local cluster's closed loop delivered less (bench/RESULTS.md, runs M-Q).
         */
        @WithDefault("5")
        int publishMaxInFlight();

        /**
         * How often a push node commits its consumed position while events flow (and once more
         * this long after they stop). A node that crashes replays at most this much, which its
         * devices drop by msgId; a stop or a rebalance commits everything handed over. Shorter
         * costs the broker a request and an offsets-log write per interval.
         */
        @WithDefault("1s")
        Duration commitInterval();
    }
}
