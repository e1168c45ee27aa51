package im.redis.friendship;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.friendship.FriendshipEndingListener;
import im.common.friendship.FriendshipEndings;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Friendship endings between nodes on one real Redis: this app's bean publishes, nodes made by hand listen. */
@QuarkusTest
class RedisFriendshipEndingsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Inject
    FriendshipEndings node;
    @Inject
    Redis redis;
    @Inject
    RedisKeys keys;
    @Inject
    Vertx vertx;
    @Inject
    RedisFriendshipConfig config;

    private final List<RedisFriendshipEndings> others = new ArrayList<>();

    @AfterEach
    void stopOthers() {
        others.forEach(RedisFriendshipEndings::stop);
        others.clear();
    }

    @Test
    void aPairPublishedOnOneNodeIsHeardByAnotherNodesListener() {
        Heard heard = new Heard();
        RedisFriendshipEndings other = listening(heard);

        node.publish(101, 202);

        await().atMost(PATIENCE).until(() -> heard.endings.contains("101:202"));
        assertEquals(List.of("101:202"), heard.endings);
        assertTrue(other.subscriptionClientId() != 0);
    }

    @Test
    void listenersOnThePublishingNodeHearBeforePublishReturns() {
        RedisFriendshipEndings publisher = started();
        Heard heard = new Heard();
        publisher.listen(heard);
        heard.endings.clear();

        publisher.publish(7, 8);

        assertTrue(heard.endings.contains("7:8"), heard.endings.toString());
    }

    @Test
    void aListenerForgetsEverythingWhenItsChannelIsSubscribed_andAgainAfterTheConnectionDrops() {
        Heard heard = new Heard();
        RedisFriendshipEndings other = listening(heard);
        long firstConnection = other.subscriptionClientId();
        int missedBefore = heard.missed.size();

        TestRedis.call(redis, Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(firstConnection));

        await().atMost(PATIENCE).until(() -> heard.missed.size() > missedBefore);
        await().atMost(PATIENCE).until(() -> other.subscriptionClientId() != 0);
        assertTrue(other.subscriptionClientId() != firstConnection);
        node.publish(303, 404);
        await().atMost(PATIENCE).until(() -> heard.endings.contains("303:404"));
    }

    @Test
    void aMessageOnTheChannelThatIsNoPairIsIgnored() {
        Heard heard = new Heard();
        listening(heard);

        TestRedis.call(redis, Request.cmd(Command.PUBLISH).arg(keys.friendshipEndings()).arg("not-a-pair"));
        node.publish(5, 6);

        await().atMost(PATIENCE).until(() -> heard.endings.contains("5:6"));
        assertEquals(List.of("5:6"), heard.endings);
    }

    /** Another node with a listener, once its channel is subscribed (the listener heard it forget). */
    private RedisFriendshipEndings listening(Heard heard) {
        RedisFriendshipEndings other = started();
        other.listen(heard);
        await().atMost(PATIENCE).until(() -> !heard.missed.isEmpty() && other.subscriptionClientId() != 0);
        return other;
    }

    private RedisFriendshipEndings started() {
        RedisFriendshipEndings other = new RedisFriendshipEndings(redis, keys, vertx, config);
        others.add(other);
        return other;
    }

    private static final class Heard implements FriendshipEndingListener {
        final List<String> endings = new CopyOnWriteArrayList<>();
        final List<Boolean> missed = new CopyOnWriteArrayList<>();

        @Override
        public void ended(long userA, long userB) {
            endings.add(userA + ":" + userB);
        }

        @Override
        public void missedEndings() {
            missed.add(true);
        }
    }
}
