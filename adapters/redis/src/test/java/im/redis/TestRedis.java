package im.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** What tests of this module do to Redis directly: look at keys, and wipe their own namespace. */
public final class TestRedis {

    private TestRedis() {
    }

    public static Response call(Redis redis, Request request) {
        return await(redis.send(request).toCompletionStage());
    }

    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Redis call failed", e);
        }
    }

    /** Deletes every key of the namespace the keys are built in, and none of anyone else's. */
    public static void wipe(Redis redis, RedisKeys keys) {
        String cursor = "0";
        do {
            Response page = call(redis, Request.cmd(Command.SCAN).arg(cursor)
                    .arg("MATCH").arg(keys.everyKeyPattern()).arg("COUNT").arg(1000));
            cursor = page.get(0).toString();
            Response found = page.get(1);
            if (found.size() > 0) {
                Request delete = Request.cmd(Command.DEL);
                found.forEach(key -> delete.arg(key.toString()));
                call(redis, delete);
            }
        } while (!"0".equals(cursor));
    }
}
