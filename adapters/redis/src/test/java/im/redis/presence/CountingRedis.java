package im.redis.presence;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The real client, counting the round trips made through it (a batch is one). */
final class CountingRedis implements Redis {

    final AtomicInteger sends = new AtomicInteger();
    final AtomicInteger batches = new AtomicInteger();
    private final Redis redis;

    CountingRedis(Redis redis) {
        this.redis = redis;
    }


    @Override
    public Future<RedisConnection> connect() {
        throw new UnsupportedOperationException("presence reads never hold a connection");
    }

    @Override
    public void close() {
        // the client belongs to the application
    }

    @Override
    public Future<Response> send(Request command) {
        sends.incrementAndGet();
        return redis.send(command);
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
        batches.incrementAndGet();
        return redis.batch(commands);
    }
}
