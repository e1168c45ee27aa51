package im.rabbitmq.retry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The broker a push node keeps its retry checks in, and how hard it tries to keep them there.
 * Credentials come from the environment in a cluster ({@code IM_RABBITMQ_USERNAME},
 * {@code IM_RABBITMQ_PASSWORD} from a Secret); the defaults only fit a developer's machine.
 */
@ConfigMapping(prefix = "im.rabbitmq")
public interface RabbitConfig {

    /** Broker host. A cluster names its Service; the default is the broker of a developer machine. */
    @WithDefault("127.0.0.1")
    String host();

    /** AMQP port: RabbitMQ's standard one. */
    @WithDefault("5672")
    int port();

    /** Virtual host: the broker's default one unless the operator separates tenants. */
    @WithDefault("/")
    String virtualHost();

    /** RabbitMQ's built-in account, which the broker accepts from localhost only: a dev default. */
    @WithDefault("guest")
    String username();

    /** See {@link #username()}: set from a Secret anywhere but a developer machine. */
    @WithDefault("guest")
    String password();

    /**
     * First part of every exchange and queue name, so that several deployments (or test runs)
     * share one virtual host without touching each other's queues. One deployment needs no more
     * than the product's short name.
     */
    @WithDefault("im")
    String namespace();

    /**
     * How long one connection attempt may take. A broker on the same network answers in
     * milliseconds; 5 s tolerates a slow TLS or DNS start without holding checks back for long
     * (they wait in the hand-off queue meanwhile, and go to the local timer if it fills).
     */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * Pause between connection attempts while the broker is away; checks scheduled meanwhile run on
     * the local timer. 2 s brings the node back within a fraction of the shortest retry delay (5 s)
     * after a broker restart, at the cost of one refused connection per pause.
     */
    @WithDefault("2s")
    Duration reconnectInterval();

    /**
     * AMQP heartbeat: how the node notices a broker that vanished without closing the socket (a
     * partition). Checks published but not yet confirmed go to the local timer once the link is
     * declared dead, so this bounds how late they can come; 10 s against the default 60 s keeps that
     * near the retry delays, for one tiny frame each way per interval.
     */
    @WithDefault("10s")
    Duration heartbeat();

    /** The retry checks' own limits. */
    Retry retry();

    /** Bounds of the retry scheduler: every queue it holds in memory has one. */
    interface Retry {

        /**
         * Checks handed over by callers and not yet published. A node schedules one check per
         * Deliver written (peaks of a few thousand per second); 4096 absorbs a second of such a
         * peak while a publish waits on the broker. Beyond it checks go to the local timer.
         */
        @WithDefault("4096")
        int handOffCapacity();

        /**
         * Messages of checks published and not yet confirmed by the broker. A broker confirms in milliseconds
         * (its fsync batch), so 1024 in flight never slows a healthy node down and bounds what goes
         * to the local timer at once when the link drops.
         */
        @WithDefault("1024")
        int maxUnconfirmed();

        /**
         * How long the publisher gathers checks into one message after the first arrives. The
         * broker's cost is per message, and a node schedules a check per Deliver it writes: 50 ms
         * gathers dozens at a few hundred Delivers a second and hundreds at load, and a check due
         * after seconds (5 s the first) is not late for it.
         */
        @WithDefault("50ms")
        Duration batchLinger();

        /**
         * Due checks the broker sends ahead of the node's acknowledgements. Handling one is a
         * lookup handed to other threads, so 256 keeps the consumer busy without holding many
         * checks in memory that a crash would send again.
         */
        @WithDefault("256")
        int prefetch();

        /**
         * Checks the local timer holds while the broker is away. At 1,000 Delivers a second, a
         * check lives at most the sum of the delay levels (75 s by default) there, about 75,000
         * checks; 200,000 leaves room for peaks. Beyond it a check is dropped, counted and logged:
         * the device still gets the message by gap detection or at its next Hello.
         */
        @WithDefault("200000")
        int localTimerCapacity();

        /**
         * How long closing may take to publish the checks still handed over and to wait for their
         * confirms, so that they outlive the process. 5 s fits in Kubernetes' default 30 s grace.
         */
        @WithDefault("5s")
        Duration closeTimeout();
    }
}
