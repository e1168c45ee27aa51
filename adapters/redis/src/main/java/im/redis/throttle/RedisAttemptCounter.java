package im.redis.throttle;

import im.common.throttle.AttemptCounter;
import im.common.throttle.AttemptCounterUnavailableException;
import im.common.throttle.AttemptKey;
import im.common.throttle.Attempts;
import im.redis.BlockingRedis;
import im.redis.LuaScript;
import im.redis.RedisKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Attempt counts in Redis, shared by every pod of a service: one counter key per attempt key
 * (see {@link RedisKeys#throttle}), whose expiry is the end of its window. A hit is one script,
 * so one round trip and atomic: concurrent attempts on any pods each get their own count.
 *
 * <p>Calls block their (worker) thread for at most {@code im.redis.throttle.timeout} and fail
 * with {@link AttemptCounterUnavailableException}.
 */
@Singleton
public class RedisAttemptCounter implements AttemptCounter {

    // KEYS: the counter. ARGV: the window in ms. Returns {count, ms until the window ends}.
    private static final LuaScript HIT = new LuaScript("""
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              -- A counter without an expiry (set by hand, or PERSISTed) would refuse forever: give
              -- it this window.
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {count, ttl}
            """);

    // KEYS: the counters. ARGV: the window in ms, then each key's count. Returns per key {count,
    // ms until its window ends}, in the order of KEYS.
    private static final LuaScript HIT_ALL = new LuaScript("""
            local window = tonumber(ARGV[1])
            local answers = {}
            for i, key in ipairs(KEYS) do
              local added = tonumber(ARGV[i + 1])
              local count = redis.call('INCRBY', key, added)
              local ttl = -1
              if count ~= added then
                ttl = redis.call('PTTL', key)
              end
              if ttl < 0 then
                redis.call('PEXPIRE', key, window)
                ttl = window
              end
              answers[i] = {count, ttl}
            end
            return answers
            """);

    private final BlockingRedis redis;
    private final RedisKeys keys;

    @Inject
    public RedisAttemptCounter(Redis redis, RedisKeys keys, RedisThrottleConfig config) {
        this.redis = new BlockingRedis(redis, config.timeout(), "attempt counter",
                AttemptCounterUnavailableException::new);
        this.keys = keys;
    }

    @Override
    public Attempts hit(AttemptKey key, Duration window) {
        long windowMillis = window.toMillis();
        if (windowMillis < 1) {
            throw new IllegalArgumentException("window must be at least 1 ms: " + window);
        }
        Response answer = redis.eval("hit", HIT, List.of(keys.throttle(key)), List.of(Long.toString(windowMillis)));
        return new Attempts(answer.get(0).toLong(), Duration.ofMillis(Math.max(0, answer.get(1).toLong())));
    }

    @Override
    public Map<AttemptKey, Attempts> hitAll(Map<AttemptKey, Long> counts, Duration window) {
        long windowMillis = window.toMillis();
        if (windowMillis < 1) {
            throw new IllegalArgumentException("window must be at least 1 ms: " + window);
        }
        if (counts.isEmpty()) {
            return Map.of();
        }
        List<AttemptKey> order = new ArrayList<>(counts.keySet());
        List<String> redisKeys = new ArrayList<>(order.size());
        List<String> args = new ArrayList<>(order.size() + 1);
        args.add(Long.toString(windowMillis));
        for (AttemptKey key : order) {
            long count = counts.get(key);
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1: " + count);
            }
            redisKeys.add(keys.throttle(key));
            args.add(Long.toString(count));
        }
        Response answer = redis.eval("hit all", HIT_ALL, redisKeys, args);
        Map<AttemptKey, Attempts> after = new HashMap<>(order.size() * 2);
        for (int i = 0; i < order.size(); i++) {
            Response one = answer.get(i);
            after.put(order.get(i), new Attempts(one.get(0).toLong(),
                    Duration.ofMillis(Math.max(0, one.get(1).toLong()))));
        }
        return after;
    }

    @Override
    public void clear(AttemptKey key) {
        redis.send("clear", Request.cmd(Command.DEL).arg(keys.throttle(key)));
    }
}
