package im.client.sdk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void ceilingDoublesFromTheBaseUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), bound -> bound);
        assertEquals(200, b.ceilingMillis(0));
        assertEquals(400, b.ceilingMillis(1));
        assertEquals(6_400, b.ceilingMillis(5));
        assertEquals(10_000, b.ceilingMillis(6));
        assertEquals(10_000, b.ceilingMillis(1_000), "no overflow for long outages");
    }

    @Test
    void delayIsAFullJitterDrawBelowTheCeiling() {
        Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10),
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        for (int attempt = 0; attempt < 40; attempt++) {
            long d = b.delayMillis(attempt);
            assertTrue(d >= 0 && d <= b.ceilingMillis(attempt), "attempt " + attempt + ": " + d);
        }
        assertEquals(0, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), bound -> 0).delayMillis(3));
    }
}
