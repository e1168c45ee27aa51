package im.redis;

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
import java.util.function.BiFunction;

/**
 * The pooled client seen from a worker thread: each call waits at most the configured timeout
 * and turns every failure into the owning feature's exception (e.g. {@code
 * PresenceUnavailableException}). The seams served this way are called from worker threads
 * (their interfaces say so); a call from a Vert.x event loop is refused rather than allowed to
 * wait for an answer that the same loop would have to deliver.
 */
public final class BlockingRedis {

    private final Redis redis;
    private final Duration timeout;
    private final String feature;
    private final BiFunction<String, Throwable, RuntimeException> unavailable;

    /**
     * @param feature names the calls in messages ("presence connect failed: ...")
     * @param unavailable the exception a failed call throws, from its message and cause
     */
    public BlockingRedis(Redis redis, Duration timeout, String feature,
            BiFunction<String, Throwable, RuntimeException> unavailable) {
        this.redis = redis;
        this.timeout = timeout;
        this.feature = feature;
        this.unavailable = unavailable;
    }

    public Response send(String what, Request request) {
        return await(what, redis.send(request));
    }

    /** The requests written back to back on one connection: one round trip for all. */
    public List<Response> batch(String what, List<Request> requests) {
        return await(what, redis.batch(requests));
    }

    /**
     * Runs the script by digest, and once more with its text when Redis does not know it. The
     * first attempt had no effect, so running it again is safe.
     */
    public Response eval(String what, LuaScript script, List<String> keys, List<String> args) {
        try {
            return send(what, withArgs(script.evalSha(keys), args));
        } catch (RuntimeException e) {
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
            throw new IllegalStateException(feature + " " + what + " called on an event loop; call it from a worker");
        }
        try {
            return answer.toCompletionStage().toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable.apply(feature + " " + what + " interrupted", e);
        } catch (ExecutionException e) {
            throw unavailable.apply(feature + " " + what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw unavailable.apply(feature + " " + what + " got no answer within " + timeout, e);
        }
    }
}
