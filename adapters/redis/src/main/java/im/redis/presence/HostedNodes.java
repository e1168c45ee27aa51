package im.redis.presence;

import im.redis.LuaScript;
import im.redis.RedisKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    // Sets the key if it is absent or still ours. One that expired while this process stalled
    // comes back, since its sessions are real; one that a newer incarnation took over stays theirs.
    private static final LuaScript REFRESH = new LuaScript("""
            local current = redis.call('GET', KEYS[1])
            if current == false or current == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0
            """);

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
    synchronized NodeIncarnation host(String nodeId) {
        NodeIncarnation incarnation = new NodeIncarnation(nodeId, UUID.randomUUID().toString());
        redis.send("hostNode", Request.cmd(Command.SET).arg(keys.presenceNode(nodeId)).arg(incarnation.id())
                .arg("PX").arg(ttl.toMillis()));
        hosted.put(nodeId, incarnation);
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

    private synchronized void refresh() {
        for (NodeIncarnation incarnation : List.copyOf(hosted.values())) {
            try {
                Response kept = redis.eval("heartbeat", REFRESH, List.of(keys.presenceNode(incarnation.nodeId())),
                        List.of(incarnation.id(), Long.toString(ttl.toMillis())));
                if (kept.toInteger() == 0) {
                    hosted.remove(incarnation.nodeId(), incarnation);
                    LOG.errorf("node %s is hosted by a newer incarnation elsewhere; this process stops serving it",
                            incarnation.nodeId());
                }
            } catch (RuntimeException e) {
                // The next beat tries again; the TTL allows two misses in a row.
                LOG.logf(stopping ? Logger.Level.DEBUG : Logger.Level.WARN, "presence heartbeat of node %s failed: %s",
                        incarnation.nodeId(), e.getMessage());
            }
        }
    }
}
