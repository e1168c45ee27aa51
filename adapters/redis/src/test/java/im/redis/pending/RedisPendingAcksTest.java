package im.redis.pending;

import static im.redis.TestRedis.await;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.retry.DeviceKey;
import im.common.retry.PendingAcks;
import im.common.retry.PendingDelivery;
import im.common.retry.RetryConfig;
import im.protocol.client.Message;
import im.redis.RedisKeys;
import im.redis.TestRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RedisPendingAcksTest {

    @Inject
    PendingAcks pending;
    @Inject
    Redis redis;
    @Inject
    RedisKeys keys;
    @Inject
    RedisPendingConfig config;
    @Inject
    RetryConfig retry;

    private final DeviceKey device = new DeviceKey(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), "phone");

    @AfterEach
    void wipe() {
        TestRedis.wipe(redis, keys);
    }

    @Test
    void aRecordedDeliveryComesBackWithItsAttemptAndItsBytes() {
        // a body with the separators and bytes that text handling would break
        Message message = message("p:1:2", 7).toBuilder()
                .setBody(ByteString.copyFrom(new byte[] {':', 0, '#', (byte) 0xff, '\n'})).build();

        assertEquals(false, await(pending.record(device, new PendingDelivery(message, 2))));

        assertEquals(Optional.of(new PendingDelivery(message, 2)), await(pending.find(device, "p:1:2", 7)));
        assertEquals(Optional.empty(), await(pending.find(device, "p:1:2", 8)));
    }

    @Test
    void cumulativeAckClearsEveryEntryAtOrBelowItsSeq() {
        for (long seq = 1; seq <= 5; seq++) {
            await(pending.record(device, delivery("g:3", seq, 0)));
        }

        assertEquals(3, await(pending.acknowledge(device, "g:3", 3)));

        for (long seq = 1; seq <= 3; seq++) {
            assertEquals(Optional.empty(), await(pending.find(device, "g:3", seq)));
        }
        assertTrue(await(pending.find(device, "g:3", 4)).isPresent());
        assertTrue(await(pending.find(device, "g:3", 5)).isPresent());
        assertEquals(2, await(pending.size(device)));
        assertEquals(0, await(pending.acknowledge(device, "g:3", 3)), "an ack repeated finds nothing");
    }

    @Test
    void ackOfOneConversationLeavesOthersPending() {
        // "p:1:20" starts with "p:1:2": a prefix match would take it too
        for (String conversation : List.of("p:1:2", "p:1:20", "g:1")) {
            for (long seq = 1; seq <= 3; seq++) {
                await(pending.record(device, delivery(conversation, seq, 0)));
            }
        }

        assertEquals(3, await(pending.acknowledge(device, "p:1:2", Long.MAX_VALUE)));

        assertEquals(6, await(pending.size(device)));
        assertTrue(await(pending.find(device, "p:1:20", 1)).isPresent());
        assertTrue(await(pending.find(device, "g:1", 3)).isPresent());
    }

    @Test
    void recordBeyondTheBoundForgetsTheOldest() {
        int bound = retry.maxPendingPerDevice();
        // recorded first, though its seq is the highest: age is by record, not by seq
        List<CompletionStage<Boolean>> fits = new ArrayList<>();
        fits.add(pending.record(device, delivery("g:9", 1000, 0)));
        for (long seq = 1; seq < bound; seq++) {
            fits.add(pending.record(device, delivery("g:1", seq, 0)));
        }
        fits.forEach(stage -> assertEquals(false, await(stage)));
        assertEquals(false, await(pending.record(device, delivery("g:1", 1, 1))), "a retransmission takes no room");

        assertEquals(true, await(pending.record(device, delivery("g:1", bound, 0))));

        assertEquals(bound, await(pending.size(device)));
        assertEquals(Optional.empty(), await(pending.find(device, "g:9", 1000)));
        assertEquals(1, await(pending.find(device, "g:1", 1)).orElseThrow().attempt());
        assertTrue(await(pending.find(device, "g:1", bound)).isPresent());
    }

    @Test
    void removeAtAnOldAttemptKeepsTheNewerRetransmission() {
        await(pending.record(device, delivery("g:4", 10, 0)));
        await(pending.record(device, delivery("g:4", 10, 1)));

        assertEquals(false, await(pending.remove(device, "g:4", 10, 0)));
        assertEquals(1, await(pending.find(device, "g:4", 10)).orElseThrow().attempt());

        assertEquals(true, await(pending.remove(device, "g:4", 10, 1)));
        assertEquals(0, await(pending.size(device)));
    }

    @Test
    void ackIssuedAfterRecordOnOneThreadNeverLeavesTheEntry() {
        // A node that has not connected yet: the first calls wait for the connection, the rest
        // go straight to it, and all must keep their order.
        RedisPendingAcks fresh = new RedisPendingAcks(redis, keys, config, retry);
        try {
            List<CompletableFuture<Integer>> acks = new ArrayList<>();
            List<CompletableFuture<Boolean>> records = new ArrayList<>();
            for (long seq = 1; seq <= 500; seq++) {
                records.add(fresh.record(device, delivery("p:5:6", seq, 0)).toCompletableFuture());
                acks.add(fresh.acknowledge(device, "p:5:6", seq).toCompletableFuture());
            }
            CompletableFuture.allOf(records.toArray(CompletableFuture[]::new)).join();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();

            assertEquals(List.of(1), acks.stream().map(CompletableFuture::join).distinct().toList(),
                    "each ack found exactly the entry recorded before it");
            assertEquals(0, await(fresh.size(device)));
        } finally {
            fresh.close();
        }
    }

    @Test
    void callsMadeTogetherGoOutInFewWrites() {
        RedisPendingAcks node = new RedisPendingAcks(redis, keys, config, retry);
        try {
            await(node.size(device)); // connected
            long before = node.writes();

            List<CompletableFuture<Boolean>> records = new ArrayList<>();
            for (long seq = 1; seq <= 500; seq++) {
                records.add(node.record(device, delivery("p:7:8", seq, 0)).toCompletableFuture());
            }
            CompletableFuture.allOf(records.toArray(CompletableFuture[]::new)).join();

            long writes = node.writes() - before;
            assertTrue(writes < 50, "500 calls made in a burst took " + writes + " writes");
            assertEquals(Math.min(500, retry.maxPendingPerDevice()), await(node.size(device)));
        } finally {
            node.close();
        }
    }

    @Test
    void aFlushedScriptCacheFailsTheBatchThatMetItAndTheCallsBehindItSucceed() {
        RedisPendingAcks node = new RedisPendingAcks(redis, keys, config, retry);
        try {
            await(node.record(device, delivery("g:9", 1, 0)));
            TestRedis.call(redis, Request.cmd(Command.SCRIPT).arg("FLUSH"));

            List<CompletableFuture<Boolean>> burst = new ArrayList<>();
            for (long seq = 2; seq <= 50; seq++) {
                burst.add(node.record(device, delivery("g:9", seq, 0)).toCompletableFuture());
            }
            long failed = burst.stream().filter(call -> call.handle((ok, failure) -> failure != null).join()).count();
            assertTrue(failed > 0, "no call met NOSCRIPT after SCRIPT FLUSH");

            // the failure reloaded the scripts ahead of the next call, which succeeds at once
            await(node.record(device, delivery("g:9", 51, 0)));
            assertEquals(1, await(node.acknowledge(device, "g:9", 1)), "the entry before the flush is still there");
        } finally {
            node.close();
        }
    }

    @Test
    void clearForgetsEveryEntryOfTheDeviceAndNoOther() {
        DeviceKey laptop = new DeviceKey(device.userId(), "laptop");
        await(pending.record(device, delivery("g:2", 1, 0)));
        await(pending.record(device, delivery("g:3", 1, 0)));
        await(pending.record(laptop, delivery("g:2", 1, 0)));

        await(pending.clear(device));

        assertEquals(0, await(pending.size(device)));
        assertEquals(1, await(pending.size(laptop)));
        assertEquals(0, TestRedis.call(redis, Request.cmd(Command.EXISTS).arg(keys.pendingEntries(device))
                .arg(keys.pendingOrder(device)).arg(keys.pendingBySeq(device))).toInteger());
    }

    @Test
    void everyKeyOfADeviceExpiresUnlessRecordsKeepComing() {
        await(pending.record(device, delivery("g:2", 1, 0)));

        for (String key : List.of(keys.pendingEntries(device), keys.pendingOrder(device), keys.pendingBySeq(device))) {
            long ttl = TestRedis.call(redis, Request.cmd(Command.PTTL).arg(key)).toLong();
            assertTrue(ttl > 0 && ttl <= config.ttl().toMillis(), key + " expires in " + ttl + " ms");
        }
    }

    @Test
    void aLostConnectionIsReplacedAndLaterCallsSucceed() {
        RedisPendingAcks node = new RedisPendingAcks(redis, keys, config, retry);
        try {
            await(node.record(device, delivery("g:8", 1, 0)));

            killConnectionsNamed(keys.clientName("pending-acks"));

            // calls in flight when it broke may fail; the next ones open a new connection
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> await(node.record(device, delivery("g:8", 2, 0))) != null);
            assertEquals(2, await(node.size(device)));
        } finally {
            node.close();
        }
    }

    private void killConnectionsNamed(String name) {
        String clients = TestRedis.call(redis, Request.cmd(Command.CLIENT).arg("LIST")).toString();
        int killed = 0;
        for (String line : clients.split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' '));
                TestRedis.call(redis, Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(id));
                killed++;
            }
        }
        assertTrue(killed > 0, "no connection named " + name + " in " + clients);
    }

    private static PendingDelivery delivery(String conversation, long seq, int attempt) {
        return new PendingDelivery(message(conversation, seq), attempt);
    }

    private static Message message(String conversation, long seq) {
        return Message.newBuilder()
                .setMsgId(seq * 1000 + conversation.hashCode())
                .setConversationId(conversation)
                .setSeq(seq)
                .setSenderId(1)
                .setSenderDeviceId("phone")
                .setBody(ByteString.copyFromUtf8("hello " + seq))
                .build();
    }
}
