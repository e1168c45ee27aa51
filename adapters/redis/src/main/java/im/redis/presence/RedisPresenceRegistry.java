package im.redis.presence;

import im.common.presence.DevicePresence;
import im.common.presence.PresenceRegistry;
import im.redis.BlockingRedis;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Presence of a cluster in one Redis: a hash per user (device -> epoch, node, node incarnation)
 * and a liveness key per push node whose value is the node's current incarnation. A session
 * counts while its node's key holds the incarnation it was written under, so a node's sessions go
 * with it: at once when it leaves, after the node TTL when it crashes, and at once when it comes
 * back under the same id (a new incarnation). Dead fields are not swept by a timer: the next
 * connect of the same user purges them, and readers skip them meanwhile.
 *
 * <p>Fencing: a connect draws its epoch from one counter and writes its field in the same script,
 * so the field always holds the newest session; a disconnect deletes the field only if it still
 * holds its epoch.
 *
 * <p>Calls block their (worker) thread for at most {@code im.redis.presence.timeout} and fail
 * with {@link PresenceUnavailableException}. The heartbeat runs on a daemon thread of its own.
 */
@Singleton
public class RedisPresenceRegistry implements PresenceRegistry {

    // Vert.x refuses a batch with more commands than its connection's waiting queue holds
    // (quarkus.redis.max-waiting-handlers, 2048 by default): bigger lookups go in rounds.
    private static final int USERS_PER_ROUND = 500;

    // KEYS: the user's hash, the epoch counter. ARGV: device, node id, incarnation, node key prefix.
    // Field values have the shape of SessionEntry: "{epoch}|{incarnation}|{nodeId}".
    private static final LuaScript CONNECT = new LuaScript("""
            if redis.call('EXISTS', KEYS[2]) == 0 then
              -- A counter lost with Redis's data restarts from the clock in microseconds, above any
              -- epoch handed out before, so that an old session can never match a new epoch.
              local now = redis.call('TIME')
              redis.call('SET', KEYS[2], now[1] .. string.format('%06d', tonumber(now[2])))
            end
            local epoch = redis.call('INCR', KEYS[2])
            local incarnations = {}
            local function live(value)
              local incarnation, node = string.match(value, '^%d+|([^|]*)|(.*)$')
              if not incarnation then
                return false
              end
              if incarnations[node] == nil then
                incarnations[node] = redis.call('GET', ARGV[4] .. node)
              end
              return incarnations[node] == incarnation
            end
            local replaced = false
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              if live(fields[i + 1]) then
                if fields[i] == ARGV[1] then
                  replaced = fields[i + 1]
                end
              elseif fields[i] ~= ARGV[1] then
                redis.call('HDEL', KEYS[1], fields[i])
              end
            end
            redis.call('HSET', KEYS[1], ARGV[1], string.format('%d', epoch) .. '|' .. ARGV[3] .. '|' .. ARGV[2])
            return {epoch, replaced}
            """);

    // KEYS: the user's hash. ARGV: device, the epoch prefix of the session to remove.
    private static final LuaScript DISCONNECT = new LuaScript("""
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            if value and string.sub(value, 1, #ARGV[2]) == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              return 1
            end
            return 0
            """);

    private record Stored(long userId, String deviceId, SessionEntry session) {
    }

    private final BlockingRedis redis;
    private final RedisKeys keys;
    private final HostedNodes nodes;
    private final NodeLiveness liveness;

    @Inject
    public RedisPresenceRegistry(Redis redis, RedisKeys keys, RedisPresenceConfig config) {
        this(redis, keys, config, Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "im-presence-heartbeat");
            // a heartbeat must not keep a stopping JVM alive: stopping is what it reports
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** With the executor that runs the heartbeat: shutting it down is how a test crashes a node. */
    RedisPresenceRegistry(Redis redis, RedisKeys keys, RedisPresenceConfig config, ScheduledExecutorService heartbeat) {
        this.redis = new BlockingRedis(redis, config.timeout(), "presence", PresenceUnavailableException::new);
        this.keys = keys;
        this.nodes = new HostedNodes(this.redis, keys, config.nodeTtl(), heartbeat);
        this.liveness = new NodeLiveness(this.redis, keys, config.livenessCache(), System::nanoTime);
    }

    @Override
    public void hostNode(String nodeId, Supplier<Collection<DevicePresence>> sessions) {
        liveness.remember(nodes.host(nodeId, sessions));
    }

    @Override
    public void leaveNode(String nodeId) {
        nodes.leave(nodeId);
        // after the key is gone, so that no read here can see the node live again
        liveness.forget(nodeId);
    }

    @Override
    public Connected connect(long userId, String deviceId, String nodeId) {
        NodeIncarnation incarnation = nodes.incarnationOf(nodeId);
        Response answer = redis.eval("connect", CONNECT, List.of(keys.presenceUser(userId), keys.presenceEpoch()),
                List.of(deviceId, nodeId, incarnation.id(), keys.presenceNodePrefix()));
        long epoch = answer.get(0).toLong();
        Response previous = answer.get(1);
        SessionEntry replaced = previous == null ? null : SessionEntry.parse(previous.toString());
        return new Connected(epoch,
                replaced == null ? null : new DevicePresence(userId, deviceId, replaced.nodeId(), replaced.epoch()));
    }

    @Override
    public boolean disconnect(long userId, String deviceId, long epoch) {
        Response removed = redis.eval("disconnect", DISCONNECT, List.of(keys.presenceUser(userId)),
                List.of(deviceId, SessionEntry.epochPrefix(epoch)));
        return removed.toInteger() == 1;
    }

    /**
     * One pipelined batch of HGETALLs (per 500 users), then one MGET for the node incarnations
     * the liveness cache cannot vouch for; usually none, so a routing batch costs one round trip.
     */
    @Override
    public Map<Long, List<DevicePresence>> devicesOf(Collection<Long> userIds) {
        List<Long> users = new ArrayList<>(new LinkedHashSet<>(userIds));
        List<Stored> stored = new ArrayList<>();
        for (int from = 0; from < users.size(); from += USERS_PER_ROUND) {
            List<Long> round = users.subList(from, Math.min(users.size(), from + USERS_PER_ROUND));
            List<Request> reads = new ArrayList<>(round.size());
            round.forEach(userId -> reads.add(Request.cmd(Command.HGETALL).arg(keys.presenceUser(userId))));
            List<Response> hashes = redis.batch("devicesOf", reads);
            for (int i = 0; i < round.size(); i++) {
                collect(round.get(i), hashes.get(i), stored);
            }
        }
        if (stored.isEmpty()) {
            return Map.of();
        }
        Set<NodeIncarnation> referenced = new HashSet<>();
        stored.forEach(entry -> referenced.add(entry.session().incarnation()));
        Set<NodeIncarnation> live = liveness.liveAmong(referenced);
        Map<Long, List<DevicePresence>> found = new HashMap<>();
        for (Stored entry : stored) {
            if (live.contains(entry.session().incarnation())) {
                found.computeIfAbsent(entry.userId(), id -> new ArrayList<>()).add(new DevicePresence(
                        entry.userId(), entry.deviceId(), entry.session().nodeId(), entry.session().epoch()));
            }
        }
        return found;
    }

    void stopping(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        nodes.stopping();
    }

    /** Stops the heartbeat. Nodes not left by then look crashed: their sessions go after the TTL. */
    @PreDestroy
    void stop() {
        nodes.stop();
    }

    private static void collect(long userId, Response hash, List<Stored> into) {
        if (hash == null) {
            return;
        }
        for (String deviceId : hash.getKeys()) {
            SessionEntry session = SessionEntry.parse(hash.get(deviceId).toString());
            if (session != null) {
                into.add(new Stored(userId, deviceId, session));
            }
        }
    }
}
