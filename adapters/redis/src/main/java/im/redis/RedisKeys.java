package im.redis;

import im.common.retry.DeviceKey;
import im.common.throttle.AttemptKey;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Every key this module reads or writes, built in one place: {@code {namespace}:{feature}:...}
 * with ':' between segments and nothing else. Scripts get their keys (or, for node keys, the
 * prefix) from here as arguments and never spell one themselves. Tests use the same builder.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>type</th><th>expiry</th></tr>
 * <tr><td>{@code im:presence:epoch}</td><td>string counter</td><td>none: epochs must never go back</td></tr>
 * <tr><td>{@code im:presence:node:{nodeId}}</td><td>string, the node's incarnation</td><td>node TTL, refreshed by the node</td></tr>
 * <tr><td>{@code im:presence:user:{userId}}</td><td>hash deviceId -> session</td><td>none: fields die with their node's incarnation</td></tr>
 * <tr><td>{@code im:pending:{userId}:{deviceId}:entries}</td><td>hash entry -> attempt and message</td><td>pending TTL, refreshed on record</td></tr>
 * <tr><td>{@code im:pending:{userId}:{deviceId}:order}</td><td>sorted set entry by record order</td><td>same</td></tr>
 * <tr><td>{@code im:pending:{userId}:{deviceId}:by-seq}</td><td>sorted set entry by name (conversation, seq)</td><td>same</td></tr>
 * <tr><td>{@code im:throttle:{bucket}:{subject in base64url}}</td><td>string counter</td><td>the end of its window</td></tr>
 * <tr><td>{@code im:revocation:list}</td><td>sorted set of revocations by the second they lapse</td><td>members dropped once lapsed; the key at its last member's</td></tr>
 * </table>
 *
 * <p>Pub/sub channels are named here too: {@code im:revocation:notices} carries each new
 * revocation to every node; {@code im:friendship:endings} carries each ended friendship (a removal
 * or a block) to every router.
 */
@Singleton
public class RedisKeys {

    private static final char SEPARATOR = ':';
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String namespace;

    @Inject
    public RedisKeys(RedisKeysConfig config) {
        this(config.namespace());
    }

    public RedisKeys(String namespace) {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("im.redis.namespace must match " + NAMESPACE + ": " + namespace);
        }
        this.namespace = namespace;
    }

    /** The counter every session epoch is drawn from. */
    public String presenceEpoch() {
        return key("presence", "epoch");
    }

    /** What precedes a node id in its liveness key; the connect script appends node ids to it. */
    public String presenceNodePrefix() {
        return key("presence", "node") + SEPARATOR;
    }

    /** The liveness key of a push node: holds its current incarnation while it lives. */
    public String presenceNode(String nodeId) {
        return presenceNodePrefix() + nodeId;
    }

    /** The sessions of one user's devices. */
    public String presenceUser(long userId) {
        return key("presence", "user", Long.toString(userId));
    }

    /** A device's pending entries with their attempt and message. */
    public String pendingEntries(DeviceKey device) {
        return pending(device, "entries");
    }

    /** A device's pending entries in the order they were first recorded (the oldest goes first). */
    public String pendingOrder(DeviceKey device) {
        return pending(device, "order");
    }

    /** A device's pending entries by name, so that one range holds a conversation up to a seq. */
    public String pendingBySeq(DeviceKey device) {
        return pending(device, "by-seq");
    }

    /**
     * The attempt counter of one key. The subject (a username, a client address: any characters)
     * is base64url-encoded, so it can neither hold a separator nor reach into another bucket.
     */
    public String throttle(AttemptKey key) {
        String subject = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.subject().getBytes(StandardCharsets.UTF_8));
        return key("throttle", key.bucket(), subject);
    }

    /** Every revocation still in force, scored by the epoch second it lapses. */
    public String revocationList() {
        return key("revocation", "list");
    }

    /** The pub/sub channel that tells every node of a new revocation as it is made. */
    public String revocationNotices() {
        return key("revocation", "notices");
    }

    /** The pub/sub channel that tells every router of a friendship that ended, as it ends. */
    public String friendshipEndings() {
        return key("friendship", "endings");
    }

    /** The name a connection of this module gives itself, so that CLIENT LIST tells whose it is. */
    public String clientName(String role) {
        return namespace + SEPARATOR + role;
    }

    /** A SCAN pattern that matches every key of this namespace and no other. */
    public String everyKeyPattern() {
        return namespace + SEPARATOR + '*';
    }

    private String pending(DeviceKey device, String part) {
        return key("pending", Long.toString(device.userId()), device.deviceId(), part);
    }

    private String key(String... segments) {
        StringBuilder key = new StringBuilder(namespace);
        for (String segment : segments) {
            key.append(SEPARATOR).append(segment);
        }
        return key.toString();
    }
}
