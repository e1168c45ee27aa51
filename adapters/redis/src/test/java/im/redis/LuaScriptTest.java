package im.redis;

import static im.redis.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LuaScriptTest {

    @Inject
    Redis redis;

    @Test
    void anUnknownScriptReadsAsNoScriptAloneAndInsideABatch() {
        LuaScript unknown = new LuaScript("return '" + UUID.randomUUID() + "'");
        RedisConnection connection = await(redis.connect().toCompletionStage());
        try {
            Throwable alone = failureOf(connection.send(unknown.evalSha(List.of())));
            Throwable inBatch = failureOf(connection.batch(List.of(Request.cmd(Command.PING), unknown.evalSha(List.of()))));
            Throwable otherError = failureOf(connection.send(Request.cmd(Command.INCR).arg("one").arg("too many")));

            assertTrue(LuaScript.isNoScript(alone), alone.getMessage());
            assertTrue(LuaScript.isNoScript(inBatch), inBatch.getMessage());
            assertFalse(LuaScript.isNoScript(otherError), otherError.getMessage());
        } finally {
            connection.close();
        }
    }

    private static Throwable failureOf(Future<?> call) {
        return await(call.toCompletionStage().handle((ok, failure) -> failure));
    }
}
