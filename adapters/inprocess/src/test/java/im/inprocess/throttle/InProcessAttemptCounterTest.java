package im.inprocess.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import im.common.throttle.AttemptKey;
import im.common.throttle.Attempts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class InProcessAttemptCounterTest {

    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final AttemptKey ALICE = new AttemptKey("login-account", "alice");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final InProcessAttemptCounter counter = new InProcessAttemptCounter(1_000, nanos::get, Runnable::run);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void attemptsCountUpInOneWindowThatLaterAttemptsDoNotMove() {
        assertEquals(new Attempts(1, WINDOW), counter.hit(ALICE, WINDOW));
        advance(Duration.ofMinutes(10));

        Attempts second = counter.hit(ALICE, WINDOW);

        assertEquals(2, second.count());
        assertEquals(Duration.ofMinutes(5), second.untilReset(), "the window ends 15 minutes after its first attempt");
        assertEquals(300, second.retryAfterSeconds());
    }

    @Test
    void theAttemptAfterTheWindowEndsOpensANewOne() {
        counter.hit(ALICE, WINDOW);
        counter.hit(ALICE, WINDOW);
        advance(WINDOW);

        assertEquals(new Attempts(1, WINDOW), counter.hit(ALICE, WINDOW));
    }

    @Test
    void countsSharedInOneCallAddUpWithSingleHitsInTheSameWindow() {
        AttemptKey bob = new AttemptKey("send-user", "bob");
        counter.hit(ALICE, WINDOW);
        advance(Duration.ofMinutes(5));

        Map<AttemptKey, Attempts> after = counter.hitAll(Map.of(ALICE, 4L, bob, 7L), WINDOW);

        assertEquals(new Attempts(5, Duration.ofMinutes(10)), after.get(ALICE));
        assertEquals(new Attempts(7, WINDOW), after.get(bob));
        assertEquals(8, counter.hit(bob, WINDOW).count());
    }

    @Test
    void clearForgetsTheCount() {
        counter.hit(ALICE, WINDOW);
        counter.hit(ALICE, WINDOW);
        advance(Duration.ofMinutes(1));

        counter.clear(ALICE);

        assertEquals(new Attempts(1, WINDOW), counter.hit(ALICE, WINDOW));
    }

    @Test
    void bucketsAndSubjectsCountApart() {
        counter.hit(ALICE, WINDOW);
        counter.hit(ALICE, WINDOW);

        assertEquals(1, counter.hit(new AttemptKey("login-account", "bob"), WINDOW).count());
        assertEquals(1, counter.hit(new AttemptKey("login-address", "alice"), WINDOW).count());
    }

    @Test
    void concurrentAttemptsEachSeeTheirOwnCount() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Long>> attempts = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                attempts.add(() -> counter.hit(ALICE, WINDOW).count());
            }
            List<Long> counts = new ArrayList<>();
            for (Future<Long> count : pool.invokeAll(attempts)) {
                counts.add(count.get());
            }
            counts.sort(null);
            assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), counts);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void memoryStaysWithinTheBound() {
        InProcessAttemptCounter small = new InProcessAttemptCounter(10, nanos::get, Runnable::run);
        for (int i = 0; i < 1_000; i++) {
            small.hit(new AttemptKey("login-account", "user" + i), WINDOW);
        }
        assertEquals(10, small.size());
    }
}
