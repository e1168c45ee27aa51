package im.redis.revocation;

import im.common.revocation.Revocation;
import im.common.revocation.RevocationList;
import im.common.revocation.RevocationListener;
import im.common.revocation.RevocationsUnavailableException;
import im.common.revocation.SessionRevocations;
import im.common.token.VerifiedUser;
import im.redis.BlockingRedis;
import im.redis.LuaScript;
import im.redis.RedisKeys;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Revocations shared by every node of a cluster. The list lives in Redis (one sorted set, see
 * {@link RedisKeys#revocationList}, scored by the second each entry lapses: the access-token
 * lifetime after it was made) and every new entry is published on
 * {@link RedisKeys#revocationNotices}. Each node holds the list in memory ({@link RevocationList})
 * and answers {@link #isRevoked} from there; it subscribes to the notices on a connection of its
 * own, and after every (re)subscription reads the whole list, so a notice sent while it was
 * disconnected, or before it started, is not lost: subscribing first and reading second leaves no
 * gap between the two.
 *
 * <p>Threads: {@link #revoke} blocks its (worker) thread for one script call; notices arrive on the
 * subscription's event loop and reach the listeners there.
 */
@Singleton
public class RedisSessionRevocations implements SessionRevocations {

    private static final Logger LOG = Logger.getLogger(RedisSessionRevocations.class);
    private static final long FIRST_RECONNECT_DELAY_MS = 100;

    // KEYS: the list. ARGV: the entry, the second it lapses, now (seconds), the notice channel.
    // Drops lapsed entries, adds this one, keeps the key alive as long as its last entry, tells
    // every node. One script: a reader never sees the entry without the notice having been sent.
    private static final LuaScript REVOKE = new LuaScript("""
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
            redis.call('EXPIREAT', KEYS[1], math.floor(tonumber(last[2])) + 1)
            return redis.call('PUBLISH', ARGV[4], ARGV[1])
            """);

    private final Redis redis;
    private final BlockingRedis blocking;
    private final RedisKeys keys;
    private final Vertx vertx;
    private final RedisRevocationConfig config;
    private final RevocationList list = new RevocationList();
    private final CompletableFuture<Void> firstRead = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile RedisConnection subscription;
    private volatile long subscriptionId;
    private int reconnectAttempt;

    @Inject
    public RedisSessionRevocations(Redis redis, RedisKeys keys, Vertx vertx, RedisRevocationConfig config) {
        this.redis = redis;
        this.blocking = new BlockingRedis(redis, config.timeout(), "revocations", RevocationsUnavailableException::new);
        this.keys = keys;
        this.vertx = vertx;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /**
     * Subscribes and reads the list; waits up to {@code start-timeout} for the first read, so a
     * node serves no token before it knows what was revoked.
     */
    public void start() {
        subscribe();
        try {
            firstRead.get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("revocation list not read within %s; revoked tokens may pass until it is (still trying)",
                    config.startTimeout());
        }
    }

    public void stop() {
        stopped = true;
        RedisConnection connection = subscription;
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    public void revoke(Revocation revocation) {
        long now = Instant.now().getEpochSecond();
        blocking.eval("revoke", REVOKE, List.of(keys.revocationList()), List.of(RevocationCodec.encode(revocation),
                Long.toString(revocation.untilEpochSecond()), Long.toString(now), keys.revocationNotices()));
        list.add(revocation);
    }

    @Override
    public boolean isRevoked(VerifiedUser user) {
        return list.covers(user);
    }

    @Override
    public void addListener(RevocationListener listener) {
        list.addListener(listener);
    }

    /** The Redis client id of the current subscription (0 while there is none), for tests. */
    long subscriptionClientId() {
        return subscriptionId;
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        redis.connect().onSuccess(connection -> {
            if (stopped) {
                connection.close();
                return;
            }
            // an exception and the end may both come; the connection is lost once
            AtomicBoolean ended = new AtomicBoolean();
            connection.handler(this::onNotice);
            connection.exceptionHandler(failure -> {
                if (ended.compareAndSet(false, true)) {
                    lost(connection, failure);
                }
            });
            connection.endHandler(ignored -> {
                if (ended.compareAndSet(false, true)) {
                    lost(connection, null);
                }
            });
            connection.send(Request.cmd(Command.CLIENT).arg("ID"))
                    .compose(id -> {
                        subscriptionId = id.toLong();
                        return connection.send(Request.cmd(Command.CLIENT).arg("SETNAME")
                                .arg(keys.clientName("revocation-notices")));
                    })
                    .compose(ignored -> connection.send(Request.cmd(Command.SUBSCRIBE).arg(keys.revocationNotices())))
                    .compose(ignored -> {
                        subscription = connection;
                        return readList();
                    })
                    .onSuccess(ignored -> {
                        reconnectAttempt = 0;
                        firstRead.complete(null);
                    })
                    .onFailure(failure -> {
                        LOG.warnf("revocation notices not subscribed: %s", failure.toString());
                        if (ended.compareAndSet(false, true)) {
                            lost(connection, failure);
                        }
                        connection.close();
                    });
        }).onFailure(failure -> {
            LOG.debugf("revocation notices: no connection: %s", failure.toString());
            retryLater();
        });
    }

    /** Every revocation still in force, into memory (listeners hear of the ones new here). */
    private Future<Void> readList() {
        String now = Long.toString(Instant.now().getEpochSecond());
        return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(keys.revocationList()).arg("(" + now).arg("+inf"))
                .map(entries -> {
                    if (entries != null) {
                        for (Response entry : entries) {
                            take(entry.toString());
                        }
                    }
                    return null;
                });
    }

    private void onNotice(Response message) {
        // RESP2 and RESP3 both deliver ["message", channel, payload]; other pushes (the subscribe
        // confirmation) are not notices.
        if (message == null || message.size() != 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        take(message.get(2).toString());
    }

    private void take(String text) {
        Revocation revocation = RevocationCodec.decode(text);
        if (revocation == null) {
            LOG.debugf("not a revocation, ignored: %s", text);
            return;
        }
        list.add(revocation);
    }

    private synchronized void lost(RedisConnection connection, Throwable failure) {
        if (subscription != connection && subscription != null) {
            return; // an older connection's late end: its successor is already running
        }
        subscription = null;
        subscriptionId = 0;
        if (!stopped) {
            LOG.infof("revocation notices disconnected (%s); reconnecting", failure == null ? "closed" : failure.toString());
            retryLater();
        }
    }

    private synchronized void retryLater() {
        if (stopped) {
            return;
        }
        long delay = Math.min(config.maxReconnectDelay().toMillis(),
                FIRST_RECONNECT_DELAY_MS << Math.min(reconnectAttempt++, 16));
        vertx.setTimer(delay, ignored -> subscribe());
    }
}
