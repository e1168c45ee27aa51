package im.checker.system;

import im.checker.LocalCluster;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One fault the checker injects into the local cluster while it sends. Node faults crash the node
 * (SIGKILL: no drain, no shutdown hook) and start it again; broker faults restart the machine's
 * Redis, RabbitMQ or Kafka. Each returns once what it took down answers again.
 */
public enum ClusterFault {
    PUSH_1("push-1", "kill -9 push-1, then start it"),
    PUSH_2("push-2", "kill -9 push-2, then start it"),
    ROUTER_1("router-1", "kill -9 router-1, then start it"),
    ROUTER_2("router-2", "kill -9 router-2, then start it"),
    REDIS("redis", "restart Redis (shutdown nosave: every key is lost)"),
    RABBITMQ("rabbitmq", "restart RabbitMQ (rabbitmqctl stop_app, start_app)"),
    KAFKA("kafka", "restart Kafka (scripts/kafka/broker.sh stop, start)");

    /** The default cycle: each kind of part once, push-1 first and push-2 last. */
    public static final List<ClusterFault> CYCLE = List.of(PUSH_1, ROUTER_1, REDIS, RABBITMQ, KAFKA, PUSH_2);
    /** {@link #CYCLE} as a command-line value. */
    public static final String CYCLE_NAMES = "push-1,router-1,redis,rabbitmq,kafka,push-2";

    private final String name;
    private final String description;

    ClusterFault(String name, String description) {
        this.name = name;
        this.description = description;
    }

    /** The fault named {@code push-1}, {@code router-2}, {@code redis}, {@code rabbitmq} or {@code kafka}. */
    public static ClusterFault named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.name.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cluster fault " + name + " (one of: "
                        + Arrays.stream(values()).map(f -> f.name).collect(Collectors.joining(", ")) + ")"));
    }

    /** Its command-line name, e.g. {@code push-1}. */
    public String label() {
        return name;
    }

    public String description() {
        return description;
    }

    /** For progress lines while this fault is under way. */
    String downNow() {
        return name + " down";
    }

    void inject(LocalCluster cluster, BackingServices brokers) throws Exception {
        switch (this) {
            case PUSH_1, PUSH_2, ROUTER_1, ROUTER_2 -> {
                cluster.kill(name);
                cluster.start(name);
            }
            case REDIS -> brokers.restartRedis();
            case RABBITMQ -> brokers.restartRabbitMq();
            case KAFKA -> brokers.restartKafka();
            default -> throw new IllegalStateException("unhandled fault " + this);
        }
    }
}
