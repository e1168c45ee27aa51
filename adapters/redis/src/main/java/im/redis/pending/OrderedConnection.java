package im.redis.pending;

import im.redis.LuaScript;
import io.vertx.core.AsyncResult;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One Redis connection, held for good, over which calls take effect in the order each thread
 * makes them.
 *
 * <p>Why that holds: Redis runs the commands of one connection in the order they arrive, and the
 * Vert.x connection writes what one thread sends in the order it was sent (it hands each write to
 * the connection's event loop, whose task queue is first in, first out; on that loop itself it
 * writes at once). So calls go straight to the open connection. While none is open they wait in
 * one FIFO queue, and the queue is written out, under the same lock, before the new connection
 * becomes visible to callers, so no later call can pass a held one.
 *
 * <p>A connection that breaks fails the calls in flight (they may or may not have run); calls
 * after them go over a new connection, opened on demand. Every new connection first loads the
 * scripts, so EVALSHA finds them; should someone flush Redis's script cache, the calls that meet
 * NOSCRIPT fail without effect and the scripts are loaded again for the calls behind them.
 *
 * <p>Never blocks: {@link #send} returns at once. Answers complete on the connection's event loop.
 */
final class OrderedConnection {

    private static final Logger LOG = Logger.getLogger(OrderedConnection.class);

    private record Held(Request request, CompletableFuture<Response> answer) {
    }

    private final Redis client;
    private final String name;
    private final List<LuaScript> scripts;
    private final int maxHeld;
    private final Object lock = new Object();
    private final ArrayDeque<Held> held = new ArrayDeque<>(); // guarded by lock
    private boolean opening; // guarded by lock
    private boolean closed; // guarded by lock
    private volatile RedisConnection open;
    private volatile boolean stopping;

    /**
     * @param name what CLIENT LIST shows for the connection
     * @param scripts loaded on every new connection before any call
     * @param maxHeld calls held while no connection is open; beyond it they fail at once
     */
    OrderedConnection(Redis client, String name, List<LuaScript> scripts, int maxHeld) {
        this.client = client;
        this.name = name;
        this.scripts = List.copyOf(scripts);
        this.maxHeld = maxHeld;
    }

    CompletableFuture<Response> send(Request request) {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        RedisConnection connection = open;
        if (connection == null) {
            synchronized (lock) {
                connection = open;
                if (connection == null) {
                    hold(request, answer);
                    return answer;
                }
            }
        }
        write(connection, request, answer);
        return answer;
    }

    /**
     * The application is stopping: Redis's client will close the connection under us, which is no
     * news worth a warning. Calls keep working until then (a draining node still records and acks).
     */
    void stopping() {
        stopping = true;
    }

    /** Fails what is held and gives the connection back; later calls fail at once. */
    void close() {
        RedisConnection connection;
        List<Held> abandoned;
        synchronized (lock) {
            closed = true;
            connection = open;
            open = null;
            abandoned = drainHeld();
        }
        fail(abandoned, new IllegalStateException("pending acks are closed"));
        if (connection != null) {
            connection.close();
        }
    }

    private void hold(Request request, CompletableFuture<Response> answer) {
        if (closed) {
            answer.completeExceptionally(new IllegalStateException("pending acks are closed"));
            return;
        }
        if (held.size() >= maxHeld) {
            answer.completeExceptionally(new IllegalStateException(
                    "no Redis connection and " + maxHeld + " pending-ack calls already waiting for one"));
            return;
        }
        held.add(new Held(request, answer));
        if (!opening) {
            opening = true;
            client.connect().onComplete(this::opened);
        }
    }

    private void opened(AsyncResult<RedisConnection> result) {
        if (result.failed()) {
            List<Held> abandoned;
            synchronized (lock) {
                opening = false;
                abandoned = drainHeld();
            }
            LOG.warnf("cannot open the pending-acks connection to Redis: %s", result.cause().getMessage());
            fail(abandoned, result.cause());
            return;
        }
        synchronized (lock) {
            opening = false;
            RedisConnection connection = result.result();
            if (closed) {
                connection.close();
                return;
            }
            connection.exceptionHandler(failure -> broken(connection, failure));
            connection.endHandler(end -> broken(connection, null));
            connection.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(name));
            load(connection);
            for (Held call = held.poll(); call != null; call = held.poll()) {
                write(connection, call.request(), call.answer());
            }
            open = connection;
        }
    }

    private void broken(RedisConnection connection, Throwable failure) {
        synchronized (lock) {
            if (open != connection) {
                return;
            }
            open = null;
        }
        LOG.logf(stopping ? Logger.Level.DEBUG : Logger.Level.WARN,
                "pending-acks connection to Redis lost (%s); the next call opens another",
                failure == null ? "closed" : failure.getMessage());
        connection.close();
    }

    private void write(RedisConnection connection, Request request, CompletableFuture<Response> answer) {
        connection.send(request).onComplete(result -> {
            if (result.succeeded()) {
                answer.complete(result.result());
            } else {
                if (LuaScript.isNoScript(result.cause())) {
                    load(connection);
                }
                answer.completeExceptionally(result.cause());
            }
        });
    }

    private void load(RedisConnection connection) {
        for (LuaScript script : scripts) {
            connection.send(script.load()).onFailure(
                    failure -> LOG.warnf("cannot load a pending-acks script into Redis: %s", failure.getMessage()));
        }
    }

    private List<Held> drainHeld() {
        List<Held> drained = List.copyOf(held);
        held.clear();
        return drained;
    }

    // Outside the lock: completing runs the callers' dependent actions, which may call again.
    private static void fail(List<Held> calls, Throwable cause) {
        calls.forEach(call -> call.answer().completeExceptionally(cause));
    }
}
