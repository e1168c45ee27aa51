package im.router.store;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The router's databases, one per shard, and the map that says which holds a conversation
 * ({@link ShardMap}). Each shard has its own transactions and its own group-commit writer, so a
 * conversation's seq stays gapless inside its shard (one writer moves its row at a time, as
 * before sharding) and shards commit in parallel. Shard 0 is the {@code router} datasource; with
 * one shard (the default, the standalone app) the router works exactly as before. Made by
 * {@link RouterStore}.
 */
public final class Shards {

    /** One database of the router: its number, its transactions and its writer. */
    public record Shard(int index, Transactions transactions, GroupCommit groupCommit) {
    }

    private final List<Shard> shards;
    private final Runnable close;
    private volatile ShardMap map;

    Shards(ShardMap map, List<Shard> shards, Runnable close) {
        this.shards = List.copyOf(shards);
        this.close = close;
        this.map = requireKnownShards(map);
    }

    /** The shard that holds the conversation, for reads. */
    public Shard of(String conversationId) {
        return shards.get(map.shardOf(conversationId));
    }

    /**
     * The shard that holds the conversation, for writes.
     *
     * @throws io.grpc.StatusRuntimeException UNAVAILABLE while the conversation's bucket is being
     *     moved to another shard: the client resends, and a resend of a stored send is answered
     *     by its idempotency key
     */
    public Shard forWrite(String conversationId) {
        ShardMap current = map;
        if (current.isMoving(conversationId)) {
            throw GrpcErrors.error(ErrorCode.UNAVAILABLE, "conversation is moving between shards, retry later");
        }
        return shards.get(current.shardOf(conversationId));
    }

    /** Every shard, by number: reads that span conversations ask each and merge. */
    public List<Shard> all() {
        return shards;
    }

    public ShardMap map() {
        return map;
    }

    /**
     * Puts a new map in place on this node, as a restart with the new configuration would (moving
     * buckets marked, or a moved bucket flipped to its new shard). Used by the tests of a move;
     * in a cluster the map changes by configuration and a rolling restart (docs/sharding.md).
     */
    public void replace(ShardMap next) {
        map = requireKnownShards(next);
    }

    /** Stops every writer (queued writes are stored and answered) and closes the extra databases. */
    void stop(long timeout, TimeUnit unit) {
        for (Shard shard : shards) {
            shard.groupCommit().stop(timeout, unit);
        }
        close.run();
    }

    private ShardMap requireKnownShards(ShardMap next) {
        if (next.shards() > shards.size()) {
            throw new IllegalStateException("the shard map names " + next.shards() + " shards but "
                    + shards.size() + " have a database (im.router.shards.databases.<n>.jdbc-url)");
        }
        return next;
    }
}
