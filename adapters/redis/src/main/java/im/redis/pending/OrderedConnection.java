package im.redis.pending;

import im.redis.LuaScript;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * One Redis connection, held for good, over which calls take effect in the order each thread
 * makes them, written to the socket in batches.
 *
 * <p>Why that holds: Redis runs the commands of one connection in the order they arrive. Calls
 * join one first-in, first-out queue per connection, and a task on the connection's event loop
 * writes out whatever the queue holds, in its order. While no connection is open, calls wait in
 * another FIFO queue, which goes first into the new connection's queue, under the same lock, before
 * the connection becomes visible to callers, so no later call can pass a held one.
 *
 * <p>Why batches: each write is a syscall, and one Redis command per write made the socket writes
 * the largest single cost of a push node's Redis client. Calls made while a write task is pending
 * (a Kafka poll's worth of deliveries, a page of acks) go out in one write. A batch's answers come
 * back together; if Redis refuses any command of a batch, every call of that batch fails, which is
 * what a failed call already means here: it may or may not have run.
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

    // Vert.x's connection accepts at most 2,048 calls awaiting answers (RedisOptions' default).
    private static final int MAX_BATCH = 256;

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
    private volatile Pipe open;
    private volatile boolean stopping;
    private final LongAdder writes = new LongAdder();

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
        Pipe pipe = open;
        if (pipe == null) {
            synchronized (lock) {
                pipe = open;
                if (pipe == null) {
                    hold(request, answer);
                    return answer;
                }
            }
        }
        pipe.add(new Held(request, answer));
        return answer;
    }

    /** Writes to Redis so far, each one call or a batch of them. */
    long writes() {
        return writes.sum();
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
        Pipe pipe;
        List<Held> abandoned;
        synchronized (lock) {
            closed = true;
            pipe = open;
            open = null;
            abandoned = drainHeld();
        }
        fail(abandoned, new IllegalStateException("pending acks are closed"));
        if (pipe != null) {
            pipe.connection.close();
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
            // The connection's own event loop runs this callback: writing from there costs no hop.
            Pipe pipe = new Pipe(connection, Vertx.currentContext());
            for (Held call = held.poll(); call != null; call = held.poll()) {
                pipe.add(call);
            }
            open = pipe;
        }
    }

    private void broken(RedisConnection connection, Throwable failure) {
        synchronized (lock) {
            if (open == null || open.connection != connection) {
                return;
            }
            open = null;
        }
        LOG.logf(stopping ? Logger.Level.DEBUG : Logger.Level.WARN,
                "pending-acks connection to Redis lost (%s); the next call opens another",
                failure == null ? "closed" : failure.getMessage());
        connection.close();
    }

    private void load(RedisConnection connection) {
        for (LuaScript script : scripts) {
            connection.send(script.load()).onFailure(
                    failure -> LOG.warnf("cannot load a pending-acks script into Redis: %s", failure.getMessage()));
        }
    }

    /** One open connection and the calls waiting for its next write. */
    private final class Pipe {

        final RedisConnection connection;
        private final Context context;
        private final ConcurrentLinkedQueue<Held> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean writeDue = new AtomicBoolean();

        Pipe(RedisConnection connection, Context context) {
            this.connection = connection;
            this.context = context;
        }

        void add(Held call) {
            if (context == null) {
                // not on an event loop (never seen): no task to gather calls on, so one write each
                write(List.of(call));
                return;
            }
            queue.add(call);
            if (writeDue.compareAndSet(false, true)) {
                context.runOnContext(ignored -> writeQueued());
            }
        }

        private void writeQueued() {
            // Cleared before taking: a call added from here on schedules the next write.
            writeDue.set(false);
            List<Held> batch = new ArrayList<>();
            for (Held call = queue.poll(); call != null; call = queue.poll()) {
                batch.add(call);
                if (batch.size() == MAX_BATCH) {
                    write(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                write(batch);
            }
        }

        private void write(List<Held> batch) {
            writes.increment();
            if (batch.size() == 1) {
                Held call = batch.get(0);
                connection.send(call.request()).onComplete(result -> answer(call, result));
                return;
            }
            connection.batch(batch.stream().map(Held::request).toList()).onComplete(result -> {
                if (result.succeeded()) {
                    List<Response> responses = result.result();
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).answer().complete(responses.get(i));
                    }
                } else {
                    failed(result.cause());
                    fail(batch, result.cause());
                }
            });
        }

        private void answer(Held call, AsyncResult<Response> result) {
            if (result.succeeded()) {
                call.answer().complete(result.result());
            } else {
                failed(result.cause());
                call.answer().completeExceptionally(result.cause());
            }
        }

        private void failed(Throwable cause) {
            if (LuaScript.isNoScript(cause)) {
                load(connection);
            }
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
