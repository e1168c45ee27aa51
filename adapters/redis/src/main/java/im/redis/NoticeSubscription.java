package im.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One pub/sub channel followed on a connection of its own and kept followed: when the connection
 * ends or fails it reconnects, after waits that double from 100 ms up to a bound, and subscribes
 * again. Pub/sub keeps nothing for a subscriber that is away, so after every (re)subscription the
 * owner's {@code onSubscribed} runs and makes up for what may have been missed (reads the state it
 * keeps in Redis, or forgets what it remembered); subscribing first and catching up second leaves
 * no gap. A catch-up that fails counts as a lost connection.
 *
 * <p>Threads: the notices and {@code onSubscribed} run on the connection's event loop.
 */
public final class NoticeSubscription {

    private static final Logger LOG = Logger.getLogger(NoticeSubscription.class);
    private static final long FIRST_RECONNECT_DELAY_MS = 100;

    private final Redis redis;
    private final Vertx vertx;
    private final String channel;
    private final String clientName;
    private final Duration maxReconnectDelay;
    private final Consumer<String> onNotice;
    private final Supplier<Future<Void>> onSubscribed;
    private volatile boolean stopped;
    private volatile RedisConnection connection;
    private volatile long clientId;
    private int reconnectAttempt;

    /**
     * @param clientName what the connection calls itself in CLIENT LIST ({@link RedisKeys#clientName})
     * @param onNotice each message's payload
     * @param onSubscribed runs after each (re)subscription; its failure reconnects
     */
    public NoticeSubscription(Redis redis, Vertx vertx, String channel, String clientName, Duration maxReconnectDelay,
            Consumer<String> onNotice, Supplier<Future<Void>> onSubscribed) {
        this.redis = redis;
        this.vertx = vertx;
        this.channel = channel;
        this.clientName = clientName;
        this.maxReconnectDelay = maxReconnectDelay;
        this.onNotice = onNotice;
        this.onSubscribed = onSubscribed;
    }

    /** Connects and subscribes in the background; returns at once. */
    public void start() {
        subscribe();
    }

    public void stop() {
        stopped = true;
        RedisConnection current = connection;
        if (current != null) {
            current.close();
        }
    }

    /** The Redis client id of the current subscription (0 while there is none), for tests. */
    public long clientId() {
        return clientId;
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        redis.connect().onSuccess(fresh -> {
            if (stopped) {
                fresh.close();
                return;
            }
            // an exception and the end may both come; the connection is lost once
            AtomicBoolean ended = new AtomicBoolean();
            fresh.handler(this::onMessage);
            fresh.exceptionHandler(failure -> {
                if (ended.compareAndSet(false, true)) {
                    lost(fresh, failure);
                }
            });
            fresh.endHandler(ignored -> {
                if (ended.compareAndSet(false, true)) {
                    lost(fresh, null);
                }
            });
            fresh.send(Request.cmd(Command.CLIENT).arg("ID"))
                    .compose(id -> {
                        clientId = id.toLong();
                        return fresh.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(clientName));
                    })
                    .compose(ignored -> fresh.send(Request.cmd(Command.SUBSCRIBE).arg(channel)))
                    .compose(ignored -> {
                        connection = fresh;
                        return onSubscribed.get();
                    })
                    .onSuccess(ignored -> resetBackoff())
                    .onFailure(failure -> {
                        LOG.warnf("%s not subscribed: %s", channel, failure.toString());
                        if (ended.compareAndSet(false, true)) {
                            lost(fresh, failure);
                        }
                        fresh.close();
                    });
        }).onFailure(failure -> {
            LOG.debugf("%s: no connection: %s", channel, failure.toString());
            retryLater();
        });
    }

    private void onMessage(Response message) {
        // RESP2 and RESP3 both deliver ["message", channel, payload]; other pushes (the subscribe
        // confirmation) are not notices.
        if (message == null || message.size() != 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        onNotice.accept(message.get(2).toString());
    }

    private synchronized void resetBackoff() {
        reconnectAttempt = 0;
    }

    private synchronized void lost(RedisConnection lostConnection, Throwable failure) {
        if (connection != lostConnection && connection != null) {
            return; // an older connection's late end: its successor is already running
        }
        connection = null;
        clientId = 0;
        if (!stopped) {
            LOG.infof("%s disconnected (%s); reconnecting", channel, failure == null ? "closed" : failure.toString());
            retryLater();
        }
    }

    private synchronized void retryLater() {
        if (stopped) {
            return;
        }
        long delay = Math.min(maxReconnectDelay.toMillis(), FIRST_RECONNECT_DELAY_MS << Math.min(reconnectAttempt++, 16));
        vertx.setTimer(delay, ignored -> subscribe());
    }
}
