package im.rabbitmq.retry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.retry.RetryCheck;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker: a check waits in its level's delay queue, dead-letters into its node's
 * check queue and reaches the handler; it outlives its scheduler; and without the broker it runs
 * on the local timer. Retry timeout 300 ms, so the levels are 300, 600, 1200 and 2400 ms.
 */
class RabbitRetrySchedulerTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** Lower bound on a check's wait, as a share of its delay: generous, it is about not early. */
    private static final double NOT_BEFORE = 0.8;
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String NAMESPACE = Broker.uniqueNamespace();
    private static final List<RetryQueues> USED = new ArrayList<>();

    private final List<RabbitRetryScheduler> opened = new ArrayList<>();

    @AfterEach
    void closeSchedulers() {
        opened.forEach(RabbitRetryScheduler::close);
    }

    @AfterAll
    static void deleteQueues() throws Exception {
        Broker.delete(USED);
    }

    @Test
    void checkArrivesAfterItsLevelsDelayThroughTheDeadLetterQueue() throws Exception {
        Arrivals arrivals = new Arrivals();
        RabbitRetryScheduler scheduler = connected("single", arrivals);
        RetryCheck check = new RetryCheck(2, "phone", "p:1:2", 7, 0);

        long start = System.nanoTime();
        scheduler.schedule(check, TIMEOUT);

        Arrival arrival = arrivals.next();
        assertEquals(check, arrival.check());
        assertNotBefore(TIMEOUT, start, arrival);
        assertEquals(0, scheduler.fellBackToLocalTimer(), "came through the broker, not the local timer");
        assertEquals(1, scheduler.scheduled());
        assertEquals(1, scheduler.delivered());
        assertEquals(0, Broker.messageCount(scheduler.queues().checkQueue()), "acked once handled");
    }

    @Test
    void eachAttemptUsesItsOwnBackoffLevel() throws Exception {
        Arrivals arrivals = new Arrivals();
        RabbitRetryScheduler scheduler = connected("levels", arrivals);
        RetryQueues queues = scheduler.queues();

        long start = System.nanoTime();
        // longest first: they arrive by their levels, not by the order they were scheduled in
        for (int attempt = 3; attempt >= 0; attempt--) {
            scheduler.schedule(new RetryCheck(2, "phone", "p:1:2", 7, attempt), TIMEOUT.multipliedBy(1L << attempt));
        }
        await().atMost(Duration.ofMillis(1000)).until(() -> Broker.messageCount(queues.levels().get(2).queue()) == 1
                && Broker.messageCount(queues.levels().get(3).queue()) == 1);

        for (int attempt = 0; attempt <= 3; attempt++) {
            Arrival arrival = arrivals.next();
            assertEquals(attempt, arrival.check().attempt(), "checks arrive in the order of their levels");
            assertNotBefore(TIMEOUT.multipliedBy(1L << attempt), start, arrival);
        }
        assertEquals(0, scheduler.fellBackToLocalTimer());
    }

    @Test
    void checksScheduledTogetherTravelInFewMessages_andEachArrives() throws Exception {
        Arrivals arrivals = new Arrivals();
        RabbitRetryScheduler scheduler = connected("batched", arrivals);
        int count = 200;

        for (int seq = 1; seq <= count; seq++) {
            scheduler.schedule(new RetryCheck(2, "phone", "p:1:2", seq, 0), TIMEOUT);
        }

        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seqs.add(arrivals.next().check().seq());
        }
        assertEquals(java.util.stream.LongStream.rangeClosed(1, count).boxed().toList(), seqs.stream().sorted().toList());
        assertNull(arrivals.poll(TIMEOUT), "each check arrives once");
        assertEquals(0, scheduler.fellBackToLocalTimer());
        // scheduled within microseconds of each other: gathered into a handful of messages at most
        assertTrue(scheduler.messagesPublished() <= count / 10,
                scheduler.messagesPublished() + " messages for " + count + " checks");
        await().atMost(WAIT).until(() -> Broker.messageCount(scheduler.queues().checkQueue()) == 0);
    }

    @Test
    void aDelayLongerThanTheLongestLevel_goesRoundAgainForWhatIsLeft_andIsNotEarly() throws Exception {
        Arrivals arrivals = new Arrivals();
        RabbitRetryScheduler scheduler = connected("beyond", arrivals);
        RetryCheck check = new RetryCheck(2, "phone", "p:1:2", 7, 5);
        Duration delay = TIMEOUT.multipliedBy(8 + 4); // the longest level (2400 ms), then 1200 ms more

        long start = System.nanoTime();
        scheduler.schedule(check, delay);

        Arrival arrival = arrivals.next();
        assertEquals(check, arrival.check());
        assertNotBefore(delay, start, arrival);
        assertEquals(1, scheduler.delivered(), "handed over once, after its second round");
        assertEquals(0, scheduler.fellBackToLocalTimer());
    }

    @Test
    void checksOfOneNodeNeverReachAnother() throws Exception {
        Arrivals onA = new Arrivals();
        Arrivals onB = new Arrivals();
        RabbitRetryScheduler a = connected("node-a", onA);
        RabbitRetryScheduler b = connected("node-b", onB);
        RetryCheck forA = new RetryCheck(2, "phone", "p:1:2", 7, 0);
        RetryCheck forB = new RetryCheck(3, "laptop", "g:9", 4, 1);

        a.schedule(forA, TIMEOUT);
        b.schedule(forB, TIMEOUT.multipliedBy(2));

        assertEquals(forA, onA.next().check());
        assertEquals(forB, onB.next().check());
        // one more level's wait: nothing else arrives on either node
        assertNull(onA.poll(TIMEOUT.multipliedBy(2)));
        assertNull(onB.poll(Duration.ZERO));
        assertEquals(1, a.delivered());
        assertEquals(1, b.delivered());
    }

    @Test
    void checksSurviveARestartOfTheScheduler() throws Exception {
        Arrivals beforeRestart = new Arrivals();
        RabbitRetryScheduler first = connected("restarted", beforeRestart);
        RetryCheck check = new RetryCheck(2, "phone", "p:1:2", 7, 2);
        Duration delay = TIMEOUT.multipliedBy(4);

        long start = System.nanoTime();
        first.schedule(check, delay);
        first.close(); // before the delay: the check is in the broker's hands now
        assertEquals(0, first.fellBackToLocalTimer());

        Arrivals afterRestart = new Arrivals();
        RabbitRetryScheduler second = connected("restarted", afterRestart);
        Arrival arrival = afterRestart.next();
        assertEquals(check, arrival.check());
        assertNotBefore(delay, start, arrival);
        assertNull(beforeRestart.poll(Duration.ZERO), "the closed scheduler ran nothing");
        assertEquals(0, second.fellBackToLocalTimer());
    }

    @Test
    void checkWhoseHandlerDidNotFinishReachesTheNodesNextLife() throws Exception {
        Arrivals unfinished = new Arrivals();
        RabbitRetryScheduler first = connected("crashed", check -> {
            unfinished.add(check);
            return new CompletableFuture<Void>(); // the node dies before the check is done
        });
        RetryCheck check = new RetryCheck(2, "phone", "p:1:2", 9, 1);

        first.schedule(check, TIMEOUT);
        assertEquals(check, unfinished.next().check());
        first.close();

        Arrivals afterRestart = new Arrivals();
        connected("crashed", afterRestart);
        assertEquals(check, afterRestart.next().check(), "not acked, so handed out again");
    }

    @Test
    void scheduleFallsBackToALocalTimerWhenTheBrokerIsUnreachable() throws Exception {
        Arrivals arrivals = new Arrivals();
        RabbitRetryScheduler scheduler = open(Broker.config(NAMESPACE, Broker.freePort(), TIMEOUT), "unreachable");
        scheduler.onDue(check -> {
            arrivals.add(check);
            return CompletableFuture.completedFuture(null);
        });
        scheduler.start();
        RetryCheck check = new RetryCheck(2, "phone", "p:1:2", 7, 0);

        long start = System.nanoTime();
        scheduler.schedule(check, TIMEOUT);

        Arrival arrival = arrivals.next();
        assertEquals(check, arrival.check());
        assertNotBefore(TIMEOUT, start, arrival);
        assertEquals(1, scheduler.fellBackToLocalTimer());
        assertEquals(1, scheduler.delivered());
        assertEquals(0, scheduler.dropped());
        assertFalse(scheduler.connected());
    }

    @Test
    void reconnectsAfterTheBrokerConnectionDrops_andChecksWaitingInTheBrokerStillArrive() throws Exception {
        try (TcpProxy proxy = new TcpProxy(Broker.PORT)) {
            proxy.restore();
            Arrivals arrivals = new Arrivals();
            RabbitRetryScheduler scheduler = open(Broker.config(NAMESPACE, proxy.port(), TIMEOUT), "reconnecting");
            scheduler.onDue(check -> {
            arrivals.add(check);
            return CompletableFuture.completedFuture(null);
        });
            scheduler.start();
            await().atMost(WAIT).until(scheduler::connected);
            RetryQueues queues = scheduler.queues();
            RetryCheck waiting = new RetryCheck(2, "phone", "p:1:2", 7, 3);
            Duration longest = TIMEOUT.multipliedBy(8);
            scheduler.schedule(waiting, longest);
            await().atMost(WAIT).until(() -> Broker.messageCount(queues.levels().get(3).queue()) == 1
                    && scheduler.unconfirmed() == 0);

            proxy.cut();
            await().atMost(WAIT).until(() -> !scheduler.connected());
            RetryCheck whileAway = new RetryCheck(2, "phone", "p:1:2", 8, 0);
            scheduler.schedule(whileAway, TIMEOUT);
            assertEquals(whileAway, arrivals.next().check(), "runs on the local timer meanwhile");
            assertEquals(1, scheduler.fellBackToLocalTimer());

            proxy.restore();
            await().atMost(WAIT).until(scheduler::connected);
            RetryCheck afterwards = new RetryCheck(2, "phone", "p:1:2", 9, 0);
            scheduler.schedule(afterwards, TIMEOUT);

            List<RetryCheck> rest = List.of(arrivals.next().check(), arrivals.next().check());
            assertTrue(rest.containsAll(List.of(waiting, afterwards)), "both came through the broker: " + rest);
            assertEquals(1, scheduler.fellBackToLocalTimer(), "only the check scheduled while away was local");
            assertEquals(3, scheduler.delivered());
        }
    }

    private RabbitRetryScheduler connected(String nodeId, Arrivals arrivals) {
        return connected(nodeId, check -> {
            arrivals.add(check);
            return CompletableFuture.completedFuture(null);
        });
    }

    private RabbitRetryScheduler connected(String nodeId, Function<RetryCheck, CompletionStage<?>> handler) {
        RabbitRetryScheduler scheduler = open(Broker.config(NAMESPACE, Broker.PORT, TIMEOUT), nodeId);
        scheduler.onDue(handler);
        scheduler.start();
        await().atMost(WAIT).until(scheduler::connected);
        return scheduler;
    }

    private RabbitRetryScheduler open(SmallRyeConfig config, String nodeId) {
        RabbitRetryScheduler scheduler = Broker.scheduler(config, nodeId);
        opened.add(scheduler);
        synchronized (USED) {
            USED.add(scheduler.queues());
        }
        return scheduler;
    }

    private static void assertNotBefore(Duration delay, long startNanos, Arrival arrival) {
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(arrival.atNanos() - startNanos);
        long lowerBound = (long) (delay.toMillis() * NOT_BEFORE);
        assertTrue(elapsedMillis >= lowerBound,
                "check of attempt " + arrival.check().attempt() + " arrived after " + elapsedMillis
                        + " ms, before " + lowerBound + " ms");
    }

    private record Arrival(RetryCheck check, long atNanos) {
    }

    /** What the handler received, with when. */
    private static final class Arrivals {
        private final BlockingQueue<Arrival> queue = new LinkedBlockingQueue<>();

        void add(RetryCheck check) {
            queue.add(new Arrival(check, System.nanoTime()));
        }

        Arrival next() throws InterruptedException {
            Arrival arrival = poll(WAIT);
            assertNotNull(arrival, "no check arrived within " + WAIT);
            return arrival;
        }

        Arrival poll(Duration wait) throws InterruptedException {
            return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
