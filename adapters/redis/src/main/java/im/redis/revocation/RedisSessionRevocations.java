package im.redis.revocation;

import im.common.revocation.Revocation;
import im.common.revocation.RevocationList;
import im.common.revocation.RevocationListener;
import im.common.revocation.RevocationsUnavailableException;
import im.common.revocation.SessionRevocations;
import im.common.token.VerifiedUser;
import im.redis.BlockingRedis;
import im.redis.LuaScript;
import im.redis.NoticeSubscription;
import im.redis.RedisKeys;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Revocations shared by every node of a cluster. The list lives in Redis (one sorted set, see
 * {@link RedisKeys#revocationList}, scored by the second each entry lapses: the access-token
 * lifetime after it was made) and every new entry is published on
 * {@link RedisKeys#revocationNotices}. Each node holds the list in memory ({@link RevocationList})
 * and answers {@link #isRevoked} from there; it follows the notices ({@link NoticeSubscription}),
 * and after every (re)subscription reads the whole list, so a notice sent while it was
 * disconnected, or before it started, is not lost: subscribing first and reading second leaves no
 * gap between the two.
 *
 * <p>Threads: {@link #revoke} blocks its (worker) thread for one script call; notices arrive on the
 * subscription's event loop and reach the listeners there.
 */
@Singleton
public class RedisSessionRevocations implements SessionRevocations {

    private static final Logger LOG = Logger.getLogger(RedisSessionRevocations.class);

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
    private final RedisRevocationConfig config;
    private final RevocationList list = new RevocationList();
    private final CompletableFuture<Void> firstRead = new CompletableFuture<>();
    private final NoticeSubscription notices;

    @Inject
    public RedisSessionRevocations(Redis redis, RedisKeys keys, Vertx vertx, RedisRevocationConfig config) {
        this.redis = redis;
        this.blocking = new BlockingRedis(redis, config.timeout(), "revocations", RevocationsUnavailableException::new);
        this.keys = keys;
        this.config = config;
        this.notices = new NoticeSubscription(redis, vertx, keys.revocationNotices(),
                keys.clientName("revocation-notices"), config.maxReconnectDelay(), this::take,
                () -> readList().onSuccess(ignored -> firstRead.complete(null)));
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
        notices.start();
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
        notices.stop();
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
        return notices.clientId();
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

    private void take(String text) {
        Revocation revocation = RevocationCodec.decode(text);
        if (revocation == null) {
            LOG.debugf("not a revocation, ignored: %s", text);
            return;
        }
        list.add(revocation);
    }
}
