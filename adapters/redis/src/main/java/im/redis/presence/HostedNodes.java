package im.redis.presence;

import im.common.presence.DevicePresence;
import im.redis.BlockingRedis;
import im.redis.LuaScript;
import im.redis.RedisKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The push nodes this process hosts, each with the incarnation it got when hosted, and the
 * heartbeat that keeps their liveness keys from expiring.
 *
 * <p>Threads: {@link #host} and {@link #leave} run on their callers' threads, refreshes on the
 * one heartbeat thread; the three hold this object's lock while they talk to Redis, so that a
 * refresh never brings back a node that has just left. {@link #incarnationOf} takes no lock:
 * every connect asks it.
 */
final class HostedNodes {

    private static final Logger LOG = Logger.getLogger(HostedNodes.class);

    // Sets the key if it is absent or still ours: 1 refreshed, 2 set again after it was gone, 0 a
    // newer incarnation holds it. One that expired while this process stalled comes back, since its
    // sessions are real; one that a newer incarnation took over stays theirs.
    private static final LuaScript REFRESH = new LuaScript("""
            local current = redis.call('GET', KEYS[1])
            if current == false or current == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              if current == false then
                return 2
              end
              return 1
            end
            return 0
            """);

    // Writes a session again unless its device's field holds it or a newer one, and keeps the
    // epoch counter above it, so that later connects still outrank it. KEYS: the user's hash, the
    // epoch counter. ARGV: device, epoch, the field's value.
    private static final LuaScript RESTORE = new LuaScript("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            local epoch = tonumber(ARGV[2])
            if current then
              local stored = tonumber(string.match(current, '^(%d+)|'))
              if stored and stored >= epoch then
                return 0
              end
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            local counter = tonumber(redis.call('GET', KEYS[2]) or '0')
            if counter < epoch then
              redis.call('SET', KEYS[2], ARGV[2])
            end
            return 1
            """);

    // Vert.x refuses a batch larger than its connection's waiting queue (2048 by default).
    private static final int SESSIONS_PER_ROUND = 500;

    // Deletes only this incarnation's key: a newer process hosting the same id keeps its own.
    private static final LuaScript LEAVE = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    private final BlockingRedis redis;
    private final RedisKeys keys;
    private final Duration ttl;
    private final ScheduledExecutorService heartbeat;
    private final Map<String, NodeIncarnation> hosted = new ConcurrentHashMap<>();
    private final Map<String, Supplier<Collection<DevicePresence>>> sessionsOf = new ConcurrentHashMap<>();
    private boolean beating; // guarded by this
    private volatile boolean stopping;

    HostedNodes(BlockingRedis redis, RedisKeys keys, Duration ttl, ScheduledExecutorService heartbeat) {
        if (ttl.toMillis() < 3) {
            throw new IllegalArgumentException("im.redis.presence.node-ttl must be at least 3ms: " + ttl);
        }
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
        this.heartbeat = heartbeat;
    }

    /** Starts a new incarnation of the node; sessions of any earlier one stop counting at once. */
    synchronized NodeIncarnation host(String nodeId, Supplier<Collection<DevicePresence>> sessions) {
        NodeIncarnation incarnation = new NodeIncarnation(nodeId, UUID.randomUUID().toString());
        redis.send("hostNode", Request.cmd(Command.SET).arg(keys.presenceNode(nodeId)).arg(incarnation.id())
                .arg("PX").arg(ttl.toMillis()));
        hosted.put(nodeId, incarnation);
        sessionsOf.put(nodeId, sessions);
        if (!beating) {
            // A third of the TTL: two refreshes in a row may fail before the key expires.
            long period = ttl.toMillis() / 3;
            heartbeat.scheduleWithFixedDelay(this::refresh, period, period, TimeUnit.MILLISECONDS);
            beating = true;
        }
        return incarnation;
    }

    /** Deletes the node's liveness key, if this process still hosts the node; true if it did. */
    synchronized boolean leave(String nodeId) {
        NodeIncarnation incarnation = hosted.remove(nodeId);
        sessionsOf.remove(nodeId);
        if (incarnation == null) {
            return false;
        }
        redis.eval("leaveNode", LEAVE, List.of(keys.presenceNode(nodeId)), List.of(incarnation.id()));
        return true;
    }

    /** The incarnation under which this process writes the node's sessions. */
    NodeIncarnation incarnationOf(String nodeId) {
        NodeIncarnation incarnation = hosted.get(nodeId);
        if (incarnation == null) {
            throw new IllegalStateException("node " + nodeId + " is not hosted by this process (hostNode first)");
        }
        return incarnation;
    }

    /**
     * The application is stopping: the heartbeat goes on (a draining node must stay alive until it
     * leaves), but a refresh that fails because Redis's client has closed is no news.
     */
    void stopping() {
        stopping = true;
    }

    /** Stops refreshing: from Redis's side the nodes still hosted now look crashed. */
    void stop() {
        heartbeat.shutdownNow();
    }

    /**
     * The node's key was gone (Redis lost its data, or this process stalled past the TTL): writes
     * the node's open sessions again, each unless a newer session of its device is there.
     */
    private void restore(NodeIncarnation incarnation) {
        Supplier<Collection<DevicePresence>> sessions = sessionsOf.get(incarnation.nodeId());
        List<DevicePresence> open = sessions == null ? List.of() : List.copyOf(sessions.get());
        for (int from = 0; from < open.size(); from += SESSIONS_PER_ROUND) {
            List<Request> writes = new ArrayList<>();
            for (DevicePresence session : open.subList(from, Math.min(open.size(), from + SESSIONS_PER_ROUND))) {
                String value = SessionEntry.epochPrefix(session.epoch()) + incarnation.id() + "|" + incarnation.nodeId();
                writes.add(RESTORE.eval(List.of(keys.presenceUser(session.userId()), keys.presenceEpoch()))
                        .arg(session.deviceId()).arg(session.epoch()).arg(value));
            }
            redis.batch("restoreSessions", writes);
        }
        LOG.warnf("presence of node %s was lost (Redis restarted?); wrote its %d open sessions again",
                incarnation.nodeId(), open.size());
    }

    private synchronized void refresh() {
        for (NodeIncarnation incarnation : List.copyOf(hosted.values())) {
            try {
                Response kept = redis.eval("heartbeat", REFRESH, List.of(keys.presenceNode(incarnation.nodeId())),
                        List.of(incarnation.id(), Long.toString(ttl.toMillis())));
                if (kept.toInteger() == 0) {
                    hosted.remove(incarnation.nodeId(), incarnation);
                    LOG.errorf("node %s is hosted by a newer incarnation elsewhere; this process stops serving it",
                            incarnation.nodeId());
                } else if (kept.toInteger() == 2) {
                    restore(incarnation);
                }
            } catch (RuntimeException e) {
                // The next beat tries again; the TTL allows two misses in a row.
                LOG.logf(stopping ? Logger.Level.DEBUG : Logger.Level.WARN, "presence heartbeat of node %s failed: %s",
                        incarnation.nodeId(), e.getMessage());
            }
        }
    }
}
