package im.redis.throttle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.throttle.AttemptCounter;
import im.common.throttle.AttemptCounterUnavailableException;
import im.common.throttle.AttemptKey;
import im.common.throttle.Attempts;
import im.redis.RedisKeys;
import im.redis.TestRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RedisAttemptCounterTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final AttemptKey ALICE = new AttemptKey("login-account", "alice");

    @Inject
    AttemptCounter counter;
    @Inject
    Redis redis;
    @Inject
    RedisKeys keys;
    @Inject
    Vertx vertx;

    @AfterEach
    void wipe() {
        TestRedis.wipe(redis, keys);
    }

    @Test
    void attemptsCountUpInOneWindow_andTheKeyExpiresWhenItEnds() {
        assertEquals(1, counter.hit(ALICE, MINUTE).count());
        assertEquals(2, counter.hit(ALICE, MINUTE).count());
        Attempts third = counter.hit(ALICE, MINUTE);

        assertEquals(3, third.count());
        assertTrue(third.untilReset().compareTo(MINUTE) <= 0 && third.untilReset().compareTo(Duration.ofSeconds(55)) > 0,
                third.toString());
        long ttl = TestRedis.call(redis, Request.cmd(Command.PTTL).arg(keys.throttle(ALICE))).toLong();
        assertTrue(ttl > 55_000 && ttl <= 60_000, "expiry of the counter: " + ttl);
    }

    @Test
    void countsSharedInOneCallAddUpWithSingleHits_andOpenWindowsForNewKeys() {
        AttemptKey bob = new AttemptKey("send-user", "bob");
        counter.hit(ALICE, MINUTE);

        Map<AttemptKey, Attempts> after = counter.hitAll(Map.of(ALICE, 4L, bob, 7L), MINUTE);

        assertEquals(5, after.get(ALICE).count());
        assertEquals(7, after.get(bob).count());
        assertEquals(8, counter.hit(bob, MINUTE).count());
        long ttl = TestRedis.call(redis, Request.cmd(Command.PTTL).arg(keys.throttle(bob))).toLong();
        assertTrue(ttl > 55_000 && ttl <= 60_000, "expiry of the new counter: " + ttl);
    }

    @Test
    void laterAttemptsDoNotMoveTheEndOfTheWindow() {
        counter.hit(ALICE, Duration.ofSeconds(2));

        Attempts later = counter.hit(ALICE, Duration.ofHours(1));

        assertEquals(2, later.count());
        assertTrue(later.untilReset().compareTo(Duration.ofSeconds(2)) <= 0, later.toString());
    }

    @Test
    void theAttemptAfterTheWindowEndsOpensANewOne() {
        counter.hit(ALICE, Duration.ofMillis(200));
        counter.hit(ALICE, Duration.ofMillis(200));
        // PTTL answers -2 once the key is gone: the window has ended.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                TestRedis.call(redis, Request.cmd(Command.PTTL).arg(keys.throttle(ALICE))).toLong() == -2);

        Attempts fresh = counter.hit(ALICE, MINUTE);

        assertEquals(1, fresh.count());
        assertTrue(fresh.untilReset().compareTo(Duration.ofSeconds(55)) > 0, fresh.toString());
    }

    @Test
    void clearForgetsTheCount() {
        counter.hit(ALICE, MINUTE);
        counter.hit(ALICE, MINUTE);

        counter.clear(ALICE);

        assertEquals(1, counter.hit(ALICE, MINUTE).count());
        counter.clear(new AttemptKey("login-account", "nobody")); // nothing to clear is no error
    }

    @Test
    void bucketsAndSubjectsCountApart_whateverTheSubjectHolds() {
        counter.hit(ALICE, MINUTE);
        counter.hit(ALICE, MINUTE);
        AttemptKey address = new AttemptKey("login-address", "2001:db8::1");
        AttemptKey pattern = new AttemptKey("login-account", "alice:*");

        assertEquals(1, counter.hit(new AttemptKey("login-address", "alice"), MINUTE).count());
        assertEquals(1, counter.hit(address, MINUTE).count());
        assertEquals(1, counter.hit(pattern, MINUTE).count());
        assertTrue(keys.throttle(address).matches("im-test-adapter-redis:throttle:login-address:[A-Za-z0-9_-]+"),
                keys.throttle(address));
    }

    @Test
    void concurrentAttemptsEachGetTheirOwnCount() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Long>> attempts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                attempts.add(() -> counter.hit(ALICE, MINUTE).count());
            }
            List<Long> counts = new ArrayList<>();
            for (Future<Long> count : pool.invokeAll(attempts)) {
                counts.add(count.get());
            }
            counts.sort(null);
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), counts);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCounterThatLostItsExpiryGetsTheWindowInsteadOfRefusingForever() {
        TestRedis.call(redis, Request.cmd(Command.SET).arg(keys.throttle(ALICE)).arg("7"));

        Attempts attempts = counter.hit(ALICE, MINUTE);

        assertEquals(8, attempts.count());
        assertTrue(attempts.untilReset().compareTo(Duration.ofSeconds(55)) > 0, attempts.toString());
        assertTrue(TestRedis.call(redis, Request.cmd(Command.PTTL).arg(keys.throttle(ALICE))).toLong() > 0);
    }

    @Test
    void anUnreachableRedisIsUnavailable_notACount() {
        Redis nowhere = Redis.createClient(vertx, "redis://127.0.0.1:1");
        try {
            RedisAttemptCounter unreachable = new RedisAttemptCounter(nowhere, keys, () -> Duration.ofMillis(500));

            assertThrows(AttemptCounterUnavailableException.class, () -> unreachable.hit(ALICE, MINUTE));
            assertThrows(AttemptCounterUnavailableException.class, () -> unreachable.clear(ALICE));
        } finally {
            nowhere.close();
        }
    }
}
