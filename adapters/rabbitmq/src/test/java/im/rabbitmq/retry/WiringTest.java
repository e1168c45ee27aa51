package im.rabbitmq.retry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import im.common.retry.RetryCheck;
import im.common.retry.RetryScheduler;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The module on the classpath is the wiring: the app's RetryScheduler is the RabbitMQ one. */
@QuarkusTest
@TestProfile(WiringTest.Profile.class)
class WiringTest {

    /** A namespace of this run's own, so the boot declares queues no other run sees. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("im.rabbitmq.namespace", Broker.uniqueNamespace());
        }
    }

    @Inject
    RetryScheduler scheduler;

    @Test
    void theRetrySchedulerIsRabbits_connectedAtStartForItsConfiguredNode() throws Exception {
        RabbitRetryScheduler rabbit = assertInstanceOf(RabbitRetryScheduler.class, ClientProxy.unwrap(scheduler));
        try {
            await().atMost(Duration.ofSeconds(15)).until(rabbit::connected);
            assertEquals("wired-0", rabbit.queues().nodeId());
            assertEquals(List.of(300L, 600L, 1200L, 2400L),
                    rabbit.queues().levels().stream().map(level -> level.delay().toMillis()).toList());
            LinkedBlockingQueue<RetryCheck> due = new LinkedBlockingQueue<>();
            rabbit.onDue(check -> {
                due.add(check);
                return CompletableFuture.completedFuture(null);
            });
            RetryCheck check = new RetryCheck(2, "phone", "p:1:2", 7, 0);

            scheduler.schedule(check, Duration.ofMillis(300));

            assertEquals(check, due.poll(15, TimeUnit.SECONDS));
            assertEquals(0, rabbit.fellBackToLocalTimer());
        } finally {
            rabbit.close();
            Broker.delete(List.of(rabbit.queues()));
        }
    }
}
