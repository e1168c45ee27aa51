package im.redis.presence;

/**
 * One life of a push node: the id stays across restarts, the incarnation is new each time the
 * node is hosted. Sessions are written with both and count only while the node's liveness key
 * holds that same incarnation.
 */
record NodeIncarnation(String nodeId, String id) {
}
