package im.rabbitmq.retry;

import im.common.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every RabbitMQ name of one push node's retry checks, and the arguments that make them delay:
 * the only place these names are spelled (the scheduler and the tests both ask here).
 *
 * <pre>
 * exchange {ns}.retry.{node}                direct, durable; each queue bound with its own name
 * queue    {ns}.retry.{node}.delay.{ms}ms   one per backoff level, durable, no consumer:
 *                                           x-message-ttl = ms,
 *                                           x-dead-letter-exchange = {ns}.retry.{node},
 *                                           x-dead-letter-routing-key = {ns}.retry.{node}.check
 * queue    {ns}.retry.{node}.check          durable; the node consumes its due checks here
 * </pre>
 *
 * <p>One queue per level because a classic queue expires messages only at its head: one TTL per
 * queue keeps its messages in due order, so none waits behind a longer one. A level is named by
 * its TTL, not its index, because queue arguments cannot change once declared: a new timeout
 * declares new queues instead of failing with PRECONDITION_FAILED, and checks still waiting in
 * the old ones dead-letter into the same check queue. The exchange is per node so that a publish
 * can only ever reach that node's queues.
 */
public final class RetryQueues {

    /** Names go into queue names unescaped: no dots (they separate the parts), nothing exotic. */
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String namespace;
    private final String nodeId;
    private final String exchange;
    private final String checkQueue;
    private final List<Level> levels;

    /**
     * The levels of a retry config: {@code timeout * 2^attempt} for attempt 0..maxAttempts, which
     * are exactly the delays the push node asks for (the last one checks the last retransmission).
     */
    public static RetryQueues forNode(String namespace, String nodeId, RetryConfig retry) {
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 0; attempt <= retry.maxAttempts(); attempt++) {
            delays.add(retry.delayBefore(attempt));
        }
        return new RetryQueues(namespace, nodeId, delays.stream().distinct().toList());
    }

    /** Levels with these delays, strictly increasing, each at least 1 ms. */
    public RetryQueues(String namespace, String nodeId, List<Duration> delays) {
        this.namespace = requireNamePart("namespace", namespace);
        this.nodeId = requireNamePart("node id", nodeId);
        this.exchange = namespace + ".retry." + nodeId;
        this.checkQueue = exchange + ".check";
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("retry queues need at least one delay level");
        }
        List<Level> built = new ArrayList<>();
        for (Duration delay : delays) {
            if (delay.toMillis() < 1 || (!built.isEmpty() && delay.compareTo(built.get(built.size() - 1).delay()) <= 0)) {
                throw new IllegalArgumentException("delay levels must be at least 1 ms and strictly increasing: " + delays);
            }
            built.add(new Level(built.size(), delay, exchange + ".delay." + delay.toMillis() + "ms"));
        }
        this.levels = List.copyOf(built);
    }

    private static String requireNamePart(String what, String value) {
        if (value == null || !NAME_PART.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must match " + NAME_PART.pattern() + ": " + value);
        }
        return value;
    }

    public String namespace() {
        return namespace;
    }

    public String nodeId() {
        return nodeId;
    }

    /** The node's exchange: checks are published to it, and its delay queues dead-letter into it. */
    public String exchange() {
        return exchange;
    }

    /** The queue the node consumes: checks land here once their level's TTL has passed. */
    public String checkQueue() {
        return checkQueue;
    }

    /** The delay levels, shortest first. */
    public List<Level> levels() {
        return levels;
    }

    /**
     * The level a check waiting {@code delay} goes through: the one whose TTL equals it, else the
     * shortest one not shorter (a check may come late, never early), else the longest (the
     * scheduler sends such a check round again for what is left).
     */
    public Level levelFor(Duration delay) {
        for (Level level : levels) {
            if (level.delay().compareTo(delay) >= 0) {
                return level;
            }
        }
        return levels.get(levels.size() - 1);
    }

    /** Arguments of a level's queue: expire after its delay, then dead-letter into the check queue. */
    public Map<String, Object> delayQueueArguments(Level level) {
        if (!levels.contains(level)) {
            throw new IllegalArgumentException("not a level of " + exchange + ": " + level);
        }
        return Map.of(
                "x-message-ttl", level.delay().toMillis(),
                "x-dead-letter-exchange", exchange,
                "x-dead-letter-routing-key", checkQueue);
    }

    /** Every queue of the node, delay levels first: what the scheduler declares and binds. */
    public List<String> allQueues() {
        List<String> all = new ArrayList<>();
        levels.forEach(level -> all.add(level.queue()));
        all.add(checkQueue);
        return List.copyOf(all);
    }

    /** One backoff level: its position (shortest is 0), its delay and its queue. */
    public record Level(int index, Duration delay, String queue) {
        public Level {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(queue, "queue");
        }
    }
}
