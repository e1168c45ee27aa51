package im.rabbitmq.retry;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import im.common.retry.RetryConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real broker of the test machine (127.0.0.1:5672, guest/guest; {@code scripts/infra.sh
 * rabbitmq} starts it), the configs the tests build from properties (so the mappings' defaults
 * apply as in the app), and the clean-up of a test run's namespace.
 */
final class Broker {

    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;

    private Broker() {
    }

    /** A namespace of its own per run, so runs never see each other's (or a deployment's) queues. */
    static String uniqueNamespace() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(RabbitConfig.class)
                .withMapping(RetryConfig.class)
                // Quarkus' own reading of "300ms" and "5s", as the app reads them
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 400))
                .build();
    }

    /** Config for a broker on {@code port}, with short pauses so tests see reconnects quickly. */
    static SmallRyeConfig config(String namespace, int port, Duration timeout) {
        Map<String, String> properties = new HashMap<>();
        properties.put("im.rabbitmq.host", HOST);
        properties.put("im.rabbitmq.port", Integer.toString(port));
        properties.put("im.rabbitmq.namespace", namespace);
        properties.put("im.rabbitmq.reconnect-interval", "200ms");
        properties.put("im.rabbitmq.connect-timeout", "2s");
        properties.put("im.push.retry.timeout", timeout.toMillis() + "ms");
        properties.put("im.push.retry.max-attempts", "3");
        properties.put("im.push.retry.timer-tick", "10ms");
        return config(properties);
    }

    static RabbitRetryScheduler scheduler(SmallRyeConfig config, String nodeId) {
        RabbitConfig rabbit = config.getConfigMapping(RabbitConfig.class);
        RetryConfig retry = config.getConfigMapping(RetryConfig.class);
        return new RabbitRetryScheduler(rabbit, retry, RetryQueues.forNode(rabbit.namespace(), nodeId, retry),
                Clock.systemUTC());
    }

    /** Ready messages in a queue, as the broker counts them. */
    static int messageCount(String queue) throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /** Deletes the exchanges and queues of these nodes (a test run leaves nothing behind). */
    static void delete(List<RetryQueues> nodes) throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            for (RetryQueues node : nodes) {
                for (String queue : node.allQueues()) {
                    channel.queueDelete(queue);
                }
                channel.exchangeDelete(node.exchange());
            }
        }
    }

    /** A port nothing listens on (bound and released at once). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        factory.setPort(PORT);
        return factory;
    }
}
