package im.router.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.zip.CRC32;

/**
 * Which shard (database) holds a conversation. A conversation id falls in one of a fixed number of
 * buckets, {@code CRC32(UTF-8 bytes of the id) mod buckets}; each bucket is assigned to one shard by
 * configuration, in ranges ({@code 0-2047:0,2048-4095:1}). The number of buckets never changes for
 * the life of the data; a shard is added by assigning it some buckets and moving their rows
 * ({@link BucketMover}, docs/sharding.md).
 *
 * <p>CRC32 rather than {@code String.hashCode} or a library hash: it is specified (ISO-HDLC,
 * {@code java.util.zip.CRC32}), in the JDK, and spelled the same by MySQL's {@code CRC32()}, Python's
 * {@code zlib.crc32} and every shell tool, so an operator can find a conversation's bucket anywhere.
 *
 * <p>Buckets may be marked moving: their rows are being copied to another shard, and writes to
 * their conversations are refused (the client resends; the idempotency key answers a resend
 * that was in fact stored) until the map that names their new shard is in place. Immutable.
 */
public final class ShardMap {

    private final int buckets;
    private final int[] shardOfBucket;
    private final int shards;
    private final BitSet moving;

    private ShardMap(int buckets, int[] shardOfBucket, BitSet moving) {
        this.buckets = buckets;
        this.shardOfBucket = shardOfBucket;
        this.moving = moving;
        this.shards = Arrays.stream(shardOfBucket).max().orElse(0) + 1;
    }

    /** Every bucket on shard 0: one database, as the router ran before sharding. */
    public static ShardMap single(int buckets) {
        return new ShardMap(requireBuckets(buckets), new int[buckets], new BitSet(buckets));
    }

    /**
     * A map from its configuration.
     *
     * @param assignment ranges of buckets and their shard, {@code first-last:shard} separated by
     *     commas; every bucket exactly once. Blank: every bucket on shard 0
     * @param moving ranges of buckets ({@code first-last} or one bucket) whose writes are refused;
     *     blank: none
     * @throws IllegalArgumentException when a bucket is missing, named twice or out of range
     */
    public static ShardMap parse(int buckets, String assignment, String moving) {
        requireBuckets(buckets);
        int[] shardOf = new int[buckets];
        if (assignment == null || assignment.isBlank()) {
            return new ShardMap(buckets, shardOf, parseBuckets(buckets, moving));
        }
        Arrays.fill(shardOf, -1);
        for (String part : assignment.split(",")) {
            String[] rangeAndShard = part.trim().split(":");
            if (rangeAndShard.length != 2) {
                throw new IllegalArgumentException("shard assignment '" + part + "' is not first-last:shard");
            }
            int shard = Integer.parseInt(rangeAndShard[1].trim());
            if (shard < 0) {
                throw new IllegalArgumentException("shard numbers start at 0: " + part);
            }
            int[] range = range(buckets, rangeAndShard[0]);
            for (int bucket = range[0]; bucket <= range[1]; bucket++) {
                if (shardOf[bucket] >= 0) {
                    throw new IllegalArgumentException("bucket " + bucket + " is assigned twice");
                }
                shardOf[bucket] = shard;
            }
        }
        for (int bucket = 0; bucket < buckets; bucket++) {
            if (shardOf[bucket] < 0) {
                throw new IllegalArgumentException("bucket " + bucket + " is on no shard");
            }
        }
        return new ShardMap(buckets, shardOf, parseBuckets(buckets, moving));
    }

    /** The bucket of a conversation id: CRC32 of its UTF-8 bytes, mod the number of buckets. */
    public static int bucketOf(String conversationId, int buckets) {
        CRC32 crc = new CRC32();
        crc.update(conversationId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % buckets);
    }

    public int bucketOf(String conversationId) {
        return bucketOf(conversationId, buckets);
    }

    /** The shard that holds the conversation. */
    public int shardOf(String conversationId) {
        return shardOfBucket[bucketOf(conversationId)];
    }

    public int shardOfBucket(int bucket) {
        return shardOfBucket[bucket];
    }

    /** Whether the conversation's bucket is being moved: its writes are refused. */
    public boolean isMoving(String conversationId) {
        return moving.get(bucketOf(conversationId));
    }

    public int buckets() {
        return buckets;
    }

    /** Shards the map names: one more than the highest shard number. */
    public int shards() {
        return shards;
    }

    /** This map with the buckets marked moving (their writes refused). */
    public ShardMap withMoving(int... movingBuckets) {
        BitSet next = (BitSet) moving.clone();
        for (int bucket : movingBuckets) {
            next.set(requireBucket(bucket));
        }
        return new ShardMap(buckets, shardOfBucket, next);
    }

    /** This map with the bucket on {@code shard} and no longer moving: the flip after a move. */
    public ShardMap withBucketOn(int bucket, int shard) {
        int[] next = shardOfBucket.clone();
        next[requireBucket(bucket)] = shard;
        BitSet nextMoving = (BitSet) moving.clone();
        nextMoving.clear(bucket);
        return new ShardMap(buckets, next, nextMoving);
    }

    private int requireBucket(int bucket) {
        if (bucket < 0 || bucket >= buckets) {
            throw new IllegalArgumentException("bucket " + bucket + " is not in 0.." + (buckets - 1));
        }
        return bucket;
    }

    private static int requireBuckets(int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("the number of buckets must be positive");
        }
        return buckets;
    }

    private static BitSet parseBuckets(int buckets, String ranges) {
        BitSet set = new BitSet(buckets);
        if (ranges == null || ranges.isBlank()) {
            return set;
        }
        for (String part : ranges.split(",")) {
            int[] range = range(buckets, part);
            set.set(range[0], range[1] + 1);
        }
        return set;
    }

    private static int[] range(int buckets, String text) {
        String[] ends = text.trim().split("-");
        if (ends.length > 2) {
            throw new IllegalArgumentException("bucket range '" + text + "' is not first-last");
        }
        int first = Integer.parseInt(ends[0].trim());
        int last = ends.length == 2 ? Integer.parseInt(ends[1].trim()) : first;
        if (first < 0 || last >= buckets || first > last) {
            throw new IllegalArgumentException("bucket range '" + text + "' is not within 0.." + (buckets - 1));
        }
        return new int[] {first, last};
    }
}
