package im.redis.pending;

import com.google.protobuf.InvalidProtocolBufferException;
import im.common.retry.DeviceKey;
import im.common.retry.PendingAcks;
import im.common.retry.PendingDelivery;
import im.common.retry.RetryConfig;
import im.protocol.client.Message;
import im.redis.LuaScript;
import im.redis.RedisKeys;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Pending deliveries in Redis, where they outlive the push node that wrote them. Each device has
 * three keys (see {@link RedisKeys}): a hash of its entries, entry name -> {@code
 * {attempt}:{message bytes}}; a sorted set of the names by the order they were first recorded (the
 * oldest is forgotten first); and a sorted set of the names under one score, where one lexical
 * range is a conversation up to a seq (a cumulative ack). An entry's name is
 * {@code {conversationId}#{seq in 19 digits}}: conversation ids hold no '#', and the zero padding
 * makes lexical order the seq order. Every change of more than one key is one Lua script.
 *
 * <p>Order: all calls of this node travel over one dedicated connection ({@link
 * OrderedConnection}), so the calls one thread makes run in Redis in the order it made them, and
 * an ack never overtakes the record it clears. One connection is enough: Redis runs commands one
 * at a time anyway, and the connection pipelines them (it never waits for an answer before
 * writing the next call, and calls made together go out in one write).
 *
 * <p>Never blocks: every method hands its call to the connection and returns the stage, which
 * completes on a Vert.x event loop (dependent actions must not block there) or fails after
 * {@code im.redis.pending.timeout}.
 */
@Singleton
public class RedisPendingAcks implements PendingAcks {

    // Widest seq: Long.MAX_VALUE has 19 digits.
    private static final int SEQ_DIGITS = 19;
    private static final char SEQ_MARK = '#';
    private static final byte ATTEMPT_END = ':';

    // KEYS: entries, order, by-seq. ARGV: name, value, bound, ttl in ms. Returns 1 if it forgot one.
    private static final LuaScript RECORD = new LuaScript("""
            if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then
              local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
              local next = 1
              if #last == 2 then
                next = tonumber(last[2]) + 1
              end
              redis.call('ZADD', KEYS[2], next, ARGV[1])
              redis.call('ZADD', KEYS[3], 0, ARGV[1])
            end
            local forgot = 0
            while redis.call('HLEN', KEYS[1]) > tonumber(ARGV[3]) do
              local oldest = redis.call('ZPOPMIN', KEYS[2])
              if #oldest == 0 then
                break
              end
              redis.call('HDEL', KEYS[1], oldest[1])
              redis.call('ZREM', KEYS[3], oldest[1])
              forgot = 1
            end
            for i = 1, 3 do
              redis.call('PEXPIRE', KEYS[i], ARGV[4])
            end
            return forgot
            """);

    // KEYS: entries, order, by-seq. ARGV: lowest and highest name of the range. Returns how many went.
    private static final LuaScript ACKNOWLEDGE = new LuaScript("""
            local names = redis.call('ZRANGEBYLEX', KEYS[3], ARGV[1], ARGV[2])
            for _, name in ipairs(names) do
              redis.call('HDEL', KEYS[1], name)
              redis.call('ZREM', KEYS[2], name)
              redis.call('ZREM', KEYS[3], name)
            end
            return #names
            """);

    // KEYS: entries, order, by-seq. ARGV: name, "{attempt}:" of the entry to remove. Returns 1 if removed.
    private static final LuaScript REMOVE = new LuaScript("""
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            if value and string.sub(value, 1, #ARGV[2]) == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              redis.call('ZREM', KEYS[2], ARGV[1])
              redis.call('ZREM', KEYS[3], ARGV[1])
              return 1
            end
            return 0
            """);

    private final RedisKeys keys;
    private final OrderedConnection connection;
    private final int maxPerDevice;
    private final long ttlMillis;
    private final long timeoutMillis;

    @Inject
    public RedisPendingAcks(Redis redis, RedisKeys keys, RedisPendingConfig config, RetryConfig retry) {
        this.keys = keys;
        this.connection = new OrderedConnection(redis, keys.clientName("pending-acks"),
                List.of(RECORD, ACKNOWLEDGE, REMOVE), config.maxHeldWhileConnecting());
        this.maxPerDevice = Math.max(1, retry.maxPendingPerDevice());
        this.ttlMillis = config.ttl().toMillis();
        this.timeoutMillis = config.timeout().toMillis();
    }

    @Override
    public CompletionStage<Boolean> record(DeviceKey device, PendingDelivery delivery) {
        if (delivery.seq() < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("negative seq " + delivery.seq()));
        }
        Request call = RECORD.evalSha(deviceKeys(device))
                .arg(name(delivery.conversationId(), delivery.seq()))
                .arg(value(delivery))
                .arg(maxPerDevice)
                .arg(ttlMillis);
        return send(call).thenApply(forgot -> forgot.toInteger() == 1);
    }

    @Override
    public CompletionStage<Optional<PendingDelivery>> find(DeviceKey device, String conversationId, long seq) {
        if (seq < 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Request call = Request.cmd(Command.HGET).arg(keys.pendingEntries(device)).arg(name(conversationId, seq));
        return send(call).thenApply(value -> value == null ? Optional.empty() : Optional.of(delivery(value.toBytes())));
    }

    @Override
    public CompletionStage<Integer> acknowledge(DeviceKey device, String conversationId, long seq) {
        if (seq < 0) {
            return CompletableFuture.completedFuture(0);
        }
        // From the bare prefix (below every seq of the conversation) to the acked seq, both inclusive.
        Request call = ACKNOWLEDGE.evalSha(deviceKeys(device))
                .arg("[" + conversationId + SEQ_MARK)
                .arg("[" + name(conversationId, seq));
        return send(call).thenApply(Response::toInteger);
    }

    @Override
    public CompletionStage<Boolean> remove(DeviceKey device, String conversationId, long seq, int attempt) {
        if (seq < 0) {
            return CompletableFuture.completedFuture(false);
        }
        Request call = REMOVE.evalSha(deviceKeys(device))
                .arg(name(conversationId, seq))
                .arg(attemptPrefix(attempt));
        return send(call).thenApply(removed -> removed.toInteger() == 1);
    }

    @Override
    public CompletionStage<Void> clear(DeviceKey device) {
        Request call = Request.cmd(Command.DEL);
        deviceKeys(device).forEach(call::arg);
        return send(call).thenApply(deleted -> null);
    }

    @Override
    public CompletionStage<Integer> size(DeviceKey device) {
        return send(Request.cmd(Command.HLEN).arg(keys.pendingEntries(device))).thenApply(Response::toInteger);
    }

    /** Writes to Redis so far (each one call or a batch of calls made together). */
    long writes() {
        return connection.writes();
    }

    void stopping(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        connection.stopping();
    }

    /** Gives the connection back; calls made after this fail. */
    @PreDestroy
    void close() {
        connection.close();
    }

    private CompletableFuture<Response> send(Request call) {
        return connection.send(call).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private List<String> deviceKeys(DeviceKey device) {
        return List.of(keys.pendingEntries(device), keys.pendingOrder(device), keys.pendingBySeq(device));
    }

    private static String name(String conversationId, long seq) {
        String digits = Long.toString(seq);
        return conversationId + SEQ_MARK + "0".repeat(SEQ_DIGITS - digits.length()) + digits;
    }

    private static String attemptPrefix(int attempt) {
        return Integer.toString(attempt) + (char) ATTEMPT_END;
    }

    private static byte[] value(PendingDelivery delivery) {
        byte[] attempt = attemptPrefix(delivery.attempt()).getBytes(StandardCharsets.US_ASCII);
        byte[] message = delivery.message().toByteArray();
        byte[] value = new byte[attempt.length + message.length];
        System.arraycopy(attempt, 0, value, 0, attempt.length);
        System.arraycopy(message, 0, value, attempt.length, message.length);
        return value;
    }

    private static PendingDelivery delivery(byte[] value) {
        int end = 0;
        while (end < value.length && value[end] != ATTEMPT_END) {
            end++;
        }
        if (end == value.length) {
            throw new IllegalStateException("pending entry without an attempt");
        }
        int attempt = Integer.parseInt(new String(value, 0, end, StandardCharsets.US_ASCII));
        try {
            return new PendingDelivery(Message.parser().parseFrom(value, end + 1, value.length - end - 1), attempt);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("pending entry does not hold a Message", e);
        }
    }
}
