package im.router.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ShardMapTest {

    @Test
    void bucketIsCrc32OfTheIdsUtf8BytesModBuckets() {
        CRC32 crc = new CRC32();
        crc.update("p:1:2".getBytes(StandardCharsets.UTF_8));

        assertEquals((int) (crc.getValue() % 4096), ShardMap.bucketOf("p:1:2", 4096));
        // Pinned: MySQL's CRC32('p:1:2') % 4096 and Python's zlib.crc32(b'p:1:2') % 4096 answer the same.
        assertEquals(3913, ShardMap.bucketOf("p:1:2", 4096));
        assertEquals(663, ShardMap.bucketOf("g:42", 4096));
    }

    @Test
    void withoutAssignment_everyConversationIsOnShardZero() {
        ShardMap map = ShardMap.parse(4096, "", "");

        assertEquals(1, map.shards());
        assertEquals(0, map.shardOf("p:1:2"));
        assertFalse(map.isMoving("p:1:2"));
    }

    @Test
    void rangesAssignBucketsToShards() {
        ShardMap map = ShardMap.parse(8, "0-3:0, 4-7:1", "");

        assertEquals(2, map.shards());
        for (int bucket = 0; bucket < 8; bucket++) {
            assertEquals(bucket < 4 ? 0 : 1, map.shardOfBucket(bucket));
        }
        String id = "p:5:9";
        assertEquals(map.shardOfBucket(map.bucketOf(id)), map.shardOf(id));
    }

    @Test
    void aBucketMissingOrAssignedTwice_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> ShardMap.parse(8, "0-3:0,5-7:1", ""));
        assertThrows(IllegalArgumentException.class, () -> ShardMap.parse(8, "0-4:0,4-7:1", ""));
        assertThrows(IllegalArgumentException.class, () -> ShardMap.parse(8, "0-8:0", ""));
    }

    @Test
    void movingBucketsAreRefusedUntilFlipped() {
        ShardMap map = ShardMap.parse(8, "0-7:0", "");
        String id = "p:5:9";
        int bucket = map.bucketOf(id);

        ShardMap moving = map.withMoving(bucket);
        ShardMap flipped = moving.withBucketOn(bucket, 1);

        assertTrue(moving.isMoving(id));
        assertEquals(0, moving.shardOf(id));
        assertFalse(flipped.isMoving(id));
        assertEquals(1, flipped.shardOf(id));
        assertTrue(ShardMap.parse(8, "0-7:0", bucket + "").isMoving(id));
    }
}
