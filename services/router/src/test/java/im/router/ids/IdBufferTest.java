package im.router.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class IdBufferTest {

    /** Batches of 10 ids, each batch after the previous one, like leaf. */
    static final class Batches implements Supplier<List<IdBuffer.IdRun>> {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean failing = new AtomicBoolean();
        long next = 1;

        @Override
        public synchronized List<IdBuffer.IdRun> get() {
            if (failing.get()) {
                throw new IllegalStateException("leaf down");
            }
            calls.incrementAndGet();
            // Two runs per batch, as leaf answers across a segment end.
            List<IdBuffer.IdRun> batch = List.of(new IdBuffer.IdRun(next, 4), new IdBuffer.IdRun(next + 100, 6));
            next += 1000;
            return batch;
        }
    }

    static final class ManualExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    @Test
    void idsComeOutInBatchOrderAcrossRuns() {
        IdBuffer buffer = new IdBuffer(new Batches(), Runnable::run, 0);

        long[] ids = new long[6];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = buffer.next();
        }

        assertEquals(List.of(1L, 2L, 3L, 4L, 101L, 102L), List.of(ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]));
    }

    @Test
    void refillStartsInTheBackgroundWhenLowAndIsUsedWithoutWaiting() {
        Batches batches = new Batches();
        ManualExecutor refiller = new ManualExecutor();
        IdBuffer buffer = new IdBuffer(batches, refiller, 5);

        for (int i = 0; i < 5; i++) {
            buffer.next();
        }
        assertTrue(refiller.tasks.isEmpty(), "5 left: not low yet");
        buffer.next();
        assertEquals(1, refiller.tasks.size(), "4 left: refill queued");
        refiller.runAll();
        for (int i = 0; i < 4; i++) {
            buffer.next();
        }
        assertEquals(1001, buffer.next(), "next batch follows without an inline fetch");
        assertEquals(2, batches.calls.get());
    }

    @Test
    void everyIdIsHandedOutOnce() {
        IdBuffer buffer = new IdBuffer(new Batches(), Runnable::run, 5);
        Set<Long> seen = new HashSet<>();

        for (int i = 0; i < 95; i++) {
            assertTrue(seen.add(buffer.next()));
        }
    }

    @Test
    void failedBackgroundRefillIsStartedAgain() {
        Batches batches = new Batches();
        ManualExecutor refiller = new ManualExecutor();
        IdBuffer buffer = new IdBuffer(batches, refiller, 5);
        for (int i = 0; i < 6; i++) {
            buffer.next();
        }
        batches.failing.set(true);
        refiller.runAll();
        batches.failing.set(false);

        buffer.next();
        assertEquals(1, refiller.tasks.size(), "a new refill replaces the failed one");
        refiller.runAll();
        for (int i = 0; i < 3; i++) {
            buffer.next();
        }
        assertEquals(1001, buffer.next());
    }

    @Test
    void emptyBufferWithSourceDownFailsTheCaller() {
        Batches batches = new Batches();
        batches.failing.set(true);
        IdBuffer buffer = new IdBuffer(batches, Runnable::run, 5);

        assertThrows(IllegalStateException.class, buffer::next);
        batches.failing.set(false);
        assertEquals(1, buffer.next());
    }

    @Test
    void withNothingBufferedTheNonWaitingCallerGetsNoneAndAFetchStartsInTheBackground() {
        Batches batches = new Batches();
        ManualExecutor refiller = new ManualExecutor();
        IdBuffer buffer = new IdBuffer(batches, refiller, 5);

        assertEquals(IdBuffer.NONE, buffer.nextIfBuffered());
        assertEquals(0, batches.calls.get(), "nothing fetched on the caller's thread");
        assertEquals(1, refiller.tasks.size());
        assertEquals(IdBuffer.NONE, buffer.nextIfBuffered(), "one fetch at a time");
        assertEquals(1, refiller.tasks.size());

        refiller.runAll();
        assertEquals(1, buffer.nextIfBuffered());
        assertEquals(2, buffer.next());
    }

    @Test
    void theNonWaitingCallerDoesNotWaitForACallerThatIsFetching() throws Exception {
        CountDownLatch fetching = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        Batches batches = new Batches();
        IdBuffer buffer = new IdBuffer(() -> {
            fetching.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return batches.get();
        }, Runnable::run, 0);
        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(buffer::next);
        fetching.await();

        assertEquals(IdBuffer.NONE, buffer.nextIfBuffered());

        answer.countDown();
        assertEquals(1, waiting.get());
        assertEquals(2, buffer.nextIfBuffered());
    }
}
