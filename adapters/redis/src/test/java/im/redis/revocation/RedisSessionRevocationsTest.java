package im.redis.revocation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.revocation.Revocation;
import im.common.revocation.SessionRevocations;
import im.common.token.VerifiedUser;
import im.redis.RedisKeys;
import im.redis.TestRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two or three nodes' revocation lists on one real Redis: this app's bean and nodes made by hand. */
@QuarkusTest
class RedisSessionRevocationsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Inject
    SessionRevocations node;
    @Inject
    Redis redis;
    @Inject
    RedisKeys keys;
    @Inject
    Vertx vertx;
    @Inject
    RedisRevocationConfig config;

    private final List<RedisSessionRevocations> others = new ArrayList<>();

    @AfterEach
    void stopOthers() {
        others.forEach(RedisSessionRevocations::stop);
        others.clear();
        TestRedis.wipe(redis, keys);
    }

    @Test
    void aSessionRevokedOnOneNodeIsHeardAndRefusedOnAnother_andItsOtherSessionsAreNot() {
        RedisSessionRevocations other = started();
        List<Revocation> heard = new CopyOnWriteArrayList<>();
        other.addListener(heard::add);

        node.revokeSession(101, "family-1", inFifteenMinutes());

        await().atMost(PATIENCE).until(() -> heard.size() == 1);
        assertEquals(Revocation.ofSession(101, "family-1", inFifteenMinutes()).sessionId(), heard.get(0).sessionId());
        assertTrue(other.isRevoked(token(101, "family-1", now())));
        assertFalse(other.isRevoked(token(101, "family-2", now())));
        assertFalse(other.isRevoked(token(102, "family-1", now())), "another user's session of that id");
        assertTrue(node.isRevoked(token(101, "family-1", now())), "the revoking node refuses it at once");
    }

    @Test
    void aNodeStartedAfterTheRevocationStillRefusesTheToken() {
        node.revokeSession(201, "family-late", inFifteenMinutes());

        RedisSessionRevocations late = started();

        assertTrue(late.isRevoked(token(201, "family-late", now())));
    }

    @Test
    void aNodeWhoseNoticeConnectionDroppedReadsTheListAgain_soAMissedNoticeStillBites() {
        RedisSessionRevocations other = started();
        long firstConnection = other.subscriptionClientId();
        // An entry whose notice this node never hears: written straight into the list.
        Revocation missed = Revocation.ofSession(301, "family-missed", inFifteenMinutes());
        TestRedis.call(redis, Request.cmd(Command.ZADD).arg(keys.revocationList())
                .arg(missed.untilEpochSecond()).arg(RevocationCodec.encode(missed)));
        assertFalse(other.isRevoked(token(301, "family-missed", now())));

        TestRedis.call(redis, Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(firstConnection));

        await().atMost(PATIENCE).until(() -> other.isRevoked(token(301, "family-missed", now())));
        assertTrue(other.subscriptionClientId() != firstConnection);
    }

    @Test
    void aUserRevokedBeforeAMomentRefusesTokensIssuedBeforeIt_notAfter() {
        RedisSessionRevocations other = started();
        long moment = now();

        node.revokeUser(401, Instant.ofEpochSecond(moment), inFifteenMinutes());

        await().atMost(PATIENCE).until(() -> other.isRevoked(token(401, "any-family", moment - 1)));
        assertFalse(other.isRevoked(token(401, "new-family", moment)));
        assertFalse(other.isRevoked(token(402, "any-family", moment - 1)));
    }

    @Test
    void entriesLapseWithTheAccessTokenLifetime() {
        node.revokeSession(501, "family-lapse", inFifteenMinutes());

        long ttl = TestRedis.call(redis, Request.cmd(Command.TTL).arg(keys.revocationList())).toLong();
        assertTrue(ttl > 14 * 60 && ttl <= 15 * 60 + 2, "list key expiry: " + ttl);
        // a lapsed entry is dropped by the next revocation, and a node starting then does not load it
        Revocation lapsed = new Revocation(502, "family-old", 0, now() - 1);
        TestRedis.call(redis, Request.cmd(Command.ZADD).arg(keys.revocationList())
                .arg(lapsed.untilEpochSecond()).arg(RevocationCodec.encode(lapsed)));
        node.revokeSession(503, "family-new", inFifteenMinutes());
        assertEquals(2, TestRedis.call(redis, Request.cmd(Command.ZCARD).arg(keys.revocationList())).toLong());
    }

    private RedisSessionRevocations started() {
        RedisSessionRevocations other = new RedisSessionRevocations(redis, keys, vertx, config);
        others.add(other);
        other.start();
        return other;
    }

    private static VerifiedUser token(long userId, String sessionId, long issuedAt) {
        return new VerifiedUser(userId, "user" + userId, Set.of(), Set.of(), issuedAt + 900, sessionId, issuedAt);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static Instant inFifteenMinutes() {
        return Instant.now().plus(Duration.ofMinutes(15));
    }
}
