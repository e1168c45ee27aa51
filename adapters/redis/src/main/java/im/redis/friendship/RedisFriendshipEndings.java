package im.redis.friendship;

import im.common.friendship.FriendshipEndingListener;
import im.common.friendship.FriendshipEndings;
import im.common.friendship.FriendshipEndingsUnavailableException;
import im.redis.BlockingRedis;
import im.redis.NoticeSubscription;
import im.redis.RedisKeys;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Ended friendships told to every node over Redis pub/sub ({@link RedisKeys#friendshipEndings}),
 * one message {@code "userA:userB"} per ending. Nothing is stored: a notice only makes routers
 * forget a pair they would otherwise ask about again within their allowed-pair lifetime, so a
 * node that was not subscribed when it was sent makes up for it by having its listeners forget
 * everything ({@link FriendshipEndingListener#missedEndings}) after each (re)subscription.
 *
 * <p>A node subscribes when its first listener comes (a router); the user service, which only
 * publishes, holds no subscription.
 *
 * <p>Threads: {@link #publish} blocks its (worker) thread for one PUBLISH; notices arrive on the
 * subscription's event loop and reach the listeners there.
 */
@Singleton
public class RedisFriendshipEndings implements FriendshipEndings {

    private static final Logger LOG = Logger.getLogger(RedisFriendshipEndings.class);
    private static final char SEPARATOR = ':';

    private final BlockingRedis blocking;
    private final String channel;
    private final NoticeSubscription subscription;
    private final List<FriendshipEndingListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean subscribed = new AtomicBoolean();

    @Inject
    public RedisFriendshipEndings(Redis redis, RedisKeys keys, Vertx vertx, RedisFriendshipConfig config) {
        this.blocking = new BlockingRedis(redis, config.timeout(), "friendship endings",
                FriendshipEndingsUnavailableException::new);
        this.channel = keys.friendshipEndings();
        this.subscription = new NoticeSubscription(redis, vertx, channel, keys.clientName("friendship-endings"),
                config.maxReconnectDelay(), this::onNotice, this::caughtUp);
    }

    @Override
    public void publish(long userA, long userB) {
        tell(userA, userB);
        blocking.send("publish", Request.cmd(Command.PUBLISH).arg(channel).arg(encode(userA, userB)));
    }

    @Override
    public void listen(FriendshipEndingListener listener) {
        listeners.add(listener);
        if (subscribed.compareAndSet(false, true)) {
            subscription.start();
        }
    }

    // At ShutdownEvent, before the Redis client closes: stopped later (@PreDestroy), the lost
    // connection would schedule a reconnect on a Vert.x that is shutting down.
    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public void stop() {
        subscription.stop();
    }

    /** The Redis client id of the current subscription (0 while there is none), for tests. */
    long subscriptionClientId() {
        return subscription.clientId();
    }

    private void onNotice(String text) {
        int separator = text.indexOf(SEPARATOR);
        try {
            tell(Long.parseLong(text.substring(0, separator)), Long.parseLong(text.substring(separator + 1)));
        } catch (RuntimeException notAPair) {
            LOG.debugf("not a friendship ending, ignored: %s", text);
        }
    }

    private Future<Void> caughtUp() {
        for (FriendshipEndingListener listener : listeners) {
            listener.missedEndings();
        }
        return Future.succeededFuture();
    }

    private void tell(long userA, long userB) {
        for (FriendshipEndingListener listener : listeners) {
            listener.ended(userA, userB);
        }
    }

    static String encode(long userA, long userB) {
        return Long.toString(userA) + SEPARATOR + userB;
    }
}
