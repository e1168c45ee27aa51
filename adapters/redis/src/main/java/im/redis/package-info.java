/**
 * The Redis forms of the cluster seams: {@link im.redis.presence.RedisPresenceRegistry} (who is
 * online where), {@link im.redis.pending.RedisPendingAcks} (deliveries not acknowledged yet) and
 * {@link im.redis.throttle.RedisAttemptCounter} (login and registration attempts per window).
 * A service wires them by depending on this module; {@link im.redis.RedisKeys} names every key
 * they touch.
 *
 * <p>Targets one Redis server (with replicas or Sentinel), not Redis Cluster: the presence scripts
 * read node keys that live apart from the user's hash.
 */
package im.redis;
