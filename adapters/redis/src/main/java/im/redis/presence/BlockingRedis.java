package im.redis.presence;

import im.redis.LuaScript;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pooled client seen from a worker thread: each call waits at most the configured timeout
 * and turns every failure into a {@link PresenceUnavailableException}. Presence callers are
 * worker threads (the interface says so); a call from a Vert.x event loop is refused rather than
 * allowed to wait for an answer that the same loop would have to deliver.
 */
final class BlockingRedis {

    private final Redis redis;
    private final Duration timeout;

    BlockingRedis(Redis redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    Response send(String what, Request request) {
        return await(what, redis.send(request));
    }

    /** The requests written back to back on one connection: one round trip for all. */
    List<Response> batch(String what, List<Request> requests) {
        return await(what, redis.batch(requests));
    }

    /**
     * Runs the script by digest, and once more with its text when Redis does not know it. The
     * first attempt had no effect, so running it again is safe.
     */
    Response eval(String what, LuaScript script, List<String> keys, List<String> args) {
        try {
            return send(what, withArgs(script.evalSha(keys), args));
        } catch (PresenceUnavailableException e) {
            if (!LuaScript.isNoScript(e.getCause())) {
                throw e;
            }
            return send(what, withArgs(script.eval(keys), args));
        }
    }

    private static Request withArgs(Request request, List<String> args) {
        for (String arg : args) {
            request.arg(arg);
        }
        return request;
    }

    private <T> T await(String what, Future<T> answer) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("presence " + what + " called on an event loop; call it from a worker");
        }
        try {
            return answer.toCompletionStage().toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PresenceUnavailableException("presence " + what + " interrupted", e);
        } catch (ExecutionException e) {
            throw new PresenceUnavailableException("presence " + what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PresenceUnavailableException("presence " + what + " got no answer within " + timeout, e);
        }
    }
}
