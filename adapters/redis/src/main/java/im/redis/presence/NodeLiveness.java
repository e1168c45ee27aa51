package im.redis.presence;

import im.redis.BlockingRedis;
import im.redis.RedisKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Which node incarnations are live, as a reader sees them: the incarnations it saw live within
 * the last {@code livenessCache}, and one MGET of the node keys for all the others. Only live
 * is remembered, so a newer incarnation (a restarted node) is read at once and counts at once;
 * the staleness allowed is one way only: a node that stopped may count for one cache time more.
 *
 * <p>Holds one entry per node id seen live, which is bounded by the push nodes of the cluster;
 * an entry goes as soon as a read finds its node dead or reincarnated.
 */
final class NodeLiveness {

    private record Seen(String incarnation, long atNanos) {
    }

    private final BlockingRedis redis;
    private final RedisKeys keys;
    private final long trustNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Seen> seenLive = new ConcurrentHashMap<>();

    NodeLiveness(BlockingRedis redis, RedisKeys keys, Duration livenessCache, LongSupplier nanoClock) {
        this.redis = redis;
        this.keys = keys;
        this.trustNanos = livenessCache.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The live ones among these incarnations; at most one round trip. */
    Set<NodeIncarnation> liveAmong(Set<NodeIncarnation> referenced) {
        long now = nanoClock.getAsLong();
        Set<NodeIncarnation> live = new HashSet<>();
        Set<String> toRead = new HashSet<>();
        for (NodeIncarnation incarnation : referenced) {
            Seen seen = seenLive.get(incarnation.nodeId());
            if (seen != null && seen.incarnation().equals(incarnation.id()) && now - seen.atNanos() < trustNanos) {
                live.add(incarnation);
            } else {
                toRead.add(incarnation.nodeId());
            }
        }
        if (toRead.isEmpty()) {
            return live;
        }
        Map<String, String> current = read(new ArrayList<>(toRead), now);
        for (NodeIncarnation incarnation : referenced) {
            if (incarnation.id().equals(current.get(incarnation.nodeId()))) {
                live.add(incarnation);
            }
        }
        return live;
    }

    /** This process just made the incarnation: readers here need not ask Redis about it. */
    void remember(NodeIncarnation incarnation) {
        seenLive.put(incarnation.nodeId(), new Seen(incarnation.id(), nanoClock.getAsLong()));
    }

    /** This process just ended the node: readers here stop counting it at once. */
    void forget(String nodeId) {
        seenLive.remove(nodeId);
    }

    private Map<String, String> read(List<String> nodeIds, long now) {
        Request mget = Request.cmd(Command.MGET);
        nodeIds.forEach(nodeId -> mget.arg(keys.presenceNode(nodeId)));
        Response values = redis.send("devicesOf", mget);
        Map<String, String> current = new HashMap<>();
        for (int i = 0; i < nodeIds.size(); i++) {
            String nodeId = nodeIds.get(i);
            Response value = values.get(i);
            if (value == null) {
                seenLive.remove(nodeId);
            } else {
                current.put(nodeId, value.toString());
                seenLive.put(nodeId, new Seen(value.toString(), now));
            }
        }
        return current;
    }
}
