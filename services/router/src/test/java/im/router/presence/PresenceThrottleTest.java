package im.router.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** At most one presence update per user per interval, the latest state told when it ends. */
class PresenceThrottleTest {

    private final AtomicLong now = new AtomicLong(10_000);
    private final List<Runnable> waiting = new ArrayList<>();
    private final List<Long> told = new ArrayList<>();
    private final CapturingTimer timer = new CapturingTimer();
    private boolean changes = true;
    private final PresenceThrottle throttle = new PresenceThrottle(1_000, now::get, timer, user -> {
        if (changes) {
            told.add(user);
        }
        return changes;
    });

    @Test
    void theFirstChangeIsToldAtOnce_aBurstWithinTheIntervalOnceAtItsEnd() {
        throttle.changed(7);
        assertEquals(List.of(7L), told);

        for (int i = 0; i < 10; i++) {
            now.addAndGet(50);
            throttle.changed(7);
        }
        assertEquals(List.of(7L), told, "nothing more until the interval ends");
        assertEquals(1, waiting.size(), "one update waits for the whole burst");

        now.set(11_000);
        runWaiting();
        assertEquals(List.of(7L, 7L), told);
    }

    @Test
    void usersAreThrottledEachOnTheirOwn() {
        throttle.changed(1);
        throttle.changed(2);
        assertEquals(List.of(1L, 2L), told);
    }

    @Test
    void aChangeThatChangedNothingDoesNotHoldBackTheNextOne() {
        changes = false;
        throttle.changed(7);
        changes = true;
        now.addAndGet(10);
        throttle.changed(7);
        assertEquals(List.of(7L), told);
        assertEquals(0, waiting.size());
    }

    @Test
    void usersQuietForAnIntervalAreForgotten() {
        throttle.changed(1);
        now.addAndGet(1_000);
        throttle.sweep();
        assertEquals(0, throttle.tracked());
    }

    private void runWaiting() {
        List<Runnable> due = new ArrayList<>(waiting);
        waiting.clear();
        due.forEach(Runnable::run);
    }

    /** Keeps what is scheduled for the test to run when it says the time has come. */
    private final class CapturingTimer extends ScheduledThreadPoolExecutor {
        CapturingTimer() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            waiting.add(command);
            return null;
        }
    }
}
