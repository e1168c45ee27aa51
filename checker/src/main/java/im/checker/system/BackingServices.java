package im.checker.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Restarts of the brokers the local cluster runs on, with the same commands a person would type:
 * {@code redis-cli} and {@code redis-server}, {@code rabbitmqctl}, {@code scripts/kafka/broker.sh}.
 * Each restart returns once the broker answers on its port again. They act on the machine's one
 * Redis, RabbitMQ and Kafka: anything else using them meanwhile sees the restart too.
 */
final class BackingServices {

    static final int REDIS_PORT = 6379;
    static final int RABBITMQ_PORT = 5672;
    static final int KAFKA_PORT = 9092;
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
    // A cold Kafka or RabbitMQ start on two busy cores takes 10-60 s; two minutes means "broken".
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> REDIS_START = List.of("redis-server", "--daemonize", "yes",
            "--bind", "127.0.0.1", "-::1", "--port", Integer.toString(REDIS_PORT), "--save", "", "--appendonly", "no",
            "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log");

    private final Path repository;
    private final Duration downFor;

    /**
     * @param repository the project's root (where {@code scripts/kafka/broker.sh} is)
     * @param downFor how long a broker stays down between stop and start, so that calls in flight
     *     and the next few meet a broker that is gone rather than one that blinked
     */
    BackingServices(Path repository, Duration downFor) {
        this.repository = repository.toAbsolutePath();
        this.downFor = downFor;
    }

    /** {@code shutdown nosave}, then a fresh {@code redis-server}: every key is gone (no persistence). */
    void restartRedis() throws IOException, InterruptedException {
        run(List.of("redis-cli", "-p", Integer.toString(REDIS_PORT), "shutdown", "nosave"));
        awaitPort(REDIS_PORT, false, "Redis");
        Thread.sleep(downFor.toMillis());
        run(REDIS_START);
        awaitPort(REDIS_PORT, true, "Redis");
    }

    /** {@code rabbitmqctl stop_app} then {@code start_app}: the Erlang node stays, the broker app restarts. */
    void restartRabbitMq() throws IOException, InterruptedException {
        run(List.of("rabbitmqctl", "stop_app"));
        awaitPort(RABBITMQ_PORT, false, "RabbitMQ");
        Thread.sleep(downFor.toMillis());
        run(List.of("rabbitmqctl", "start_app"));
        awaitPort(RABBITMQ_PORT, true, "RabbitMQ");
    }

    /** {@code scripts/kafka/broker.sh stop} then {@code start}; data is kept. */
    void restartKafka() throws IOException, InterruptedException {
        Path script = repository.resolve("scripts/kafka/broker.sh");
        run(List.of("bash", script.toString(), "stop"));
        if (portOpen(KAFKA_PORT)) {
            // broker.sh leaves a broker it did not start alone: restarting "nothing" would pass silently.
            throw new IllegalStateException("Kafka on " + KAFKA_PORT + " is still up after broker.sh stop:"
                    + " it was not started by scripts/kafka/broker.sh, so it cannot be restarted here");
        }
        Thread.sleep(downFor.toMillis());
        run(List.of("bash", script.toString(), "start"));
        awaitPort(KAFKA_PORT, true, "Kafka");
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("checker-broker-", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(repository.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            boolean finished = process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command)
                        + (finished ? " failed (" + process.exitValue() + ")" : " did not finish")
                        + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void awaitPort(int port, boolean open, String name) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (portOpen(port) != open) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not " + (open ? "open" : "close") + " port " + port
                        + " within " + READY_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }
}
