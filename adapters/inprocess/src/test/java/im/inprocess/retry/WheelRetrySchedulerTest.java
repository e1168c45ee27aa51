package im.inprocess.retry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.retry.RetryCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WheelRetrySchedulerTest {

    @Test
    void scheduledCheckReachesTheHandlerOnceDue() {
        WheelRetryScheduler scheduler = new WheelRetryScheduler(Duration.ofMillis(10));
        List<RetryCheck> due = new CopyOnWriteArrayList<>();
        scheduler.onDue(check -> {
            due.add(check);
            return CompletableFuture.completedFuture(null);
        });
        RetryCheck check = new RetryCheck(2, "phone", "p:1:2", 7, 1);
        try {
            scheduler.schedule(check, Duration.ofMillis(20));

            await().atMost(Duration.ofSeconds(10)).until(() -> !due.isEmpty());
            assertEquals(List.of(check), due);
        } finally {
            scheduler.stop();
        }
    }
}
