package im.redis.presence;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.presence.DevicePresence;
import im.common.presence.PresenceRegistry;
import im.common.presence.PresenceRegistry.Connected;
import im.redis.RedisKeys;
import im.redis.TestRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RedisPresenceRegistryTest {

    @Inject
    PresenceRegistry registry;
    @Inject
    Redis redis;
    @Inject
    RedisKeys keys;
    @Inject
    RedisPresenceConfig config;

    private final List<String> hostedHere = new ArrayList<>();
    private final List<ScheduledExecutorService> otherProcesses = new ArrayList<>();

    @AfterEach
    void leaveAndWipe() {
        hostedHere.forEach(registry::leaveNode);
        otherProcesses.forEach(ScheduledExecutorService::shutdownNow);
        TestRedis.wipe(redis, keys);
    }

    @Test
    void connectReturnsTheSessionItReplaced() {
        String nodeA = host();
        String nodeB = host();
        long user = newUser();

        Connected first = registry.connect(user, "phone", nodeA);
        Connected second = registry.connect(user, "phone", nodeB);

        assertNull(first.replaced());
        assertTrue(second.epoch() > first.epoch());
        assertEquals(new DevicePresence(user, "phone", nodeA, first.epoch()), second.replaced());
        assertEquals(List.of(new DevicePresence(user, "phone", nodeB, second.epoch())), registry.devices(user));
    }

    @Test
    void staleDisconnectNeverRemovesNewerSession() {
        String node = host();
        long user = newUser();
        Connected old = registry.connect(user, "phone", node);
        Connected current = registry.connect(user, "phone", node);

        boolean staleRemoved = registry.disconnect(user, "phone", old.epoch());

        assertEquals(false, staleRemoved);
        assertEquals(List.of(new DevicePresence(user, "phone", node, current.epoch())), registry.devices(user));
        assertTrue(registry.disconnect(user, "phone", current.epoch()));
        assertEquals(List.of(), registry.devices(user));
    }

    @Test
    void concurrentConnectsOfOneDeviceLeaveTheHighestEpoch() throws Exception {
        String node = host();
        long user = newUser();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        ConcurrentLinkedQueue<Long> epochs = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        epochs.add(registry.connect(user, "phone", node).epoch());
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            threads.shutdownNow();
        }

        long highest = epochs.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertEquals(200, new HashSet<>(epochs).size());
        assertEquals(List.of(new DevicePresence(user, "phone", node, highest)), registry.devices(user));
    }

    @Test
    void aNodeThatLeavesTakesItsSessionsAtOnce() {
        String leaving = host();
        String staying = host();
        long user = newUser();
        registry.connect(user, "phone", leaving);
        Connected laptop = registry.connect(user, "laptop", staying);

        registry.leaveNode(leaving);

        assertEquals(List.of(new DevicePresence(user, "laptop", staying, laptop.epoch())), registry.devices(user));
    }

    @Test
    void entriesOfACrashedNodeStopCountingAfterItsTtl() {
        ScheduledExecutorService heartbeat = otherProcess();
        RedisPresenceRegistry other = new RedisPresenceRegistry(redis, keys, config, heartbeat);
        String node = newNode();
        long user = newUser();
        other.hostNode(node, List::of);
        other.connect(user, "phone", node);

        // The heartbeat keeps the session counting for longer than the TTL...
        await().during(config.nodeTtl().plusMillis(500)).atMost(config.nodeTtl().multipliedBy(3))
                .until(() -> registry.devices(user).size() == 1);
        // ...until the process dies without leaving.
        heartbeat.shutdownNow();

        await().atMost(config.nodeTtl().multipliedBy(3)).until(() -> registry.devices(user).isEmpty());
    }

    @Test
    void sessionsOfANodeAreWrittenAgainAfterRedisLostItsData() {
        RedisPresenceRegistry node = new RedisPresenceRegistry(redis, keys, config, otherProcess());
        String nodeId = newNode();
        long user = newUser();
        List<DevicePresence> open = new ArrayList<>();
        node.hostNode(nodeId, () -> open);
        Connected phone = node.connect(user, "phone", nodeId);
        open.add(new DevicePresence(user, "phone", nodeId, phone.epoch()));

        // what a Redis restart without persistence does to this cluster's keys
        TestRedis.wipe(redis, keys);

        await().atMost(config.nodeTtl().multipliedBy(3))
                .until(() -> registry.devices(user).equals(List.copyOf(open)));
        Connected again = node.connect(user, "phone", nodeId);
        assertTrue(again.epoch() > phone.epoch(), "a later session still outranks the restored one");
        assertEquals(phone.epoch(), again.replaced().epoch());
    }

    @Test
    void restartedNodeWithSameIdHidesItsOldEntries() {
        ScheduledExecutorService firstLife = otherProcess();
        RedisPresenceRegistry before = new RedisPresenceRegistry(redis, keys, config, firstLife);
        String node = newNode();
        long user = newUser();
        before.hostNode(node, List::of);
        before.connect(user, "phone", node);
        firstLife.shutdownNow();

        registry.hostNode(node, List::of);
        hostedHere.add(node);

        assertEquals(Map.of(), registry.devicesOf(List.of(user)));
        Connected tablet = registry.connect(user, "tablet", node);
        assertNull(tablet.replaced());
        // that connect purged the dead session instead of leaving it to rot
        assertEquals(0, TestRedis.call(redis,
                Request.cmd(Command.HEXISTS).arg(keys.presenceUser(user)).arg("phone")).toInteger());
        assertNull(registry.connect(user, "phone", node).replaced(), "a dead session is replaced by nobody");
    }

    @Test
    void devicesOfManyUsersComesBackInOneCall() {
        String nodeA = host();
        String nodeB = host();
        List<Long> users = new ArrayList<>();
        Map<Long, Set<DevicePresence>> expected = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            long user = newUser();
            users.add(user);
            if (i % 4 == 3) {
                continue; // offline
            }
            Set<DevicePresence> devices = new HashSet<>();
            devices.add(new DevicePresence(user, "phone", nodeA, registry.connect(user, "phone", nodeA).epoch()));
            if (i % 2 == 0) {
                devices.add(new DevicePresence(user, "laptop", nodeB, registry.connect(user, "laptop", nodeB).epoch()));
            }
            expected.put(user, devices);
        }
        CountingRedis counted = new CountingRedis(redis);
        // a router: it hosts nothing, and its cache is cold
        RedisPresenceRegistry router = new RedisPresenceRegistry(counted, keys,
                TestPresenceConfig.like(config).withLivenessCache(Duration.ofMinutes(1)), otherProcess());

        Map<Long, List<DevicePresence>> cold = router.devicesOf(users);
        int coldBatches = counted.batches.get();
        int coldSends = counted.sends.get();
        Map<Long, List<DevicePresence>> warm = router.devicesOf(users);

        assertEquals(expected, asSets(cold));
        assertEquals(expected, asSets(warm));
        assertEquals(1, coldBatches, "cold: one batch of reads for all 400 users");
        assertEquals(1, coldSends, "cold: one read of both node keys");
        assertEquals(2, counted.batches.get(), "warm: one batch of reads again");
        assertEquals(1, counted.sends.get(), "warm: node liveness from the cache");
    }

    @Test
    void epochsKeepRisingAfterRedisLosesTheCounter() {
        String node = host();
        long user = newUser();
        Connected before = registry.connect(user, "phone", node);

        TestRedis.call(redis, Request.cmd(Command.DEL).arg(keys.presenceEpoch()));
        Connected after = registry.connect(user, "phone", node);

        assertTrue(after.epoch() > before.epoch());
        assertEquals(false, registry.disconnect(user, "phone", before.epoch()));
    }

    @Test
    void aConnectOnANodeThisProcessDoesNotHostIsRefused() {
        assertThrows(IllegalStateException.class, () -> registry.connect(newUser(), "phone", newNode()));
    }

    private String host() {
        String node = newNode();
        registry.hostNode(node, List::of);
        hostedHere.add(node);
        return node;
    }

    private ScheduledExecutorService otherProcess() {
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        otherProcesses.add(heartbeat);
        return heartbeat;
    }

    private static String newNode() {
        return "push-" + UUID.randomUUID();
    }

    private static long newUser() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    private static Map<Long, Set<DevicePresence>> asSets(Map<Long, List<DevicePresence>> found) {
        Map<Long, Set<DevicePresence>> sets = new HashMap<>();
        found.forEach((user, devices) -> {
            assertEquals(devices.size(), Set.copyOf(devices).size(), "no device twice");
            sets.put(user, Set.copyOf(devices));
        });
        return sets;
    }
}
