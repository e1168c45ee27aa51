package im.push.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterRingTest {

    private record Settings(Optional<List<String>> addresses, String host, int port, Duration refresh,
            Duration downFor) implements RouterRingConfig {
        @Override
        public Optional<Path> tlsCa() {
            return Optional.empty();
        }
    }

    private static RouterRing ring(String... addresses) {
        return new RouterRing(new Settings(Optional.of(List.of(addresses)), "router", 9000, Duration.ofSeconds(10),
                Duration.ofMinutes(5)));
    }


    @Test
    void everyPushNodePicksTheSameRouterForAConversation() {
        RouterRing one = ring("10.0.0.1:9000", "10.0.0.2:9000", "10.0.0.3:9000");
        RouterRing other = ring("10.0.0.3:9000", "10.0.0.1:9000", "10.0.0.2:9000");
        for (int i = 0; i < 200; i++) {
            String conversation = "p:" + i + ":" + (i + 1000);
            assertEquals(address(one, conversation), address(other, conversation), conversation);
        }
    }

    @Test
    void conversationsSpreadOverTheRouters() {
        RouterRing ring = ring("10.0.0.1:9000", "10.0.0.2:9000");
        Map<Channel, Integer> counts = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            counts.merge(ring.channelFor("p:" + i + ":" + (i + 7)), 1, Integer::sum);
        }
        assertEquals(2, counts.size());
        counts.values().forEach(count -> assertTrue(count > 400, "each router gets its share: " + counts));
    }

    @Test
    void unavailableRouterIsPassedOverAndOnlyItsConversationsMove() {
        RouterRing ring = ring("10.0.0.1:9000", "10.0.0.2:9000", "10.0.0.3:9000");
        Map<String, Channel> before = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            before.put("p:" + i + ":" + (i + 3), ring.channelFor("p:" + i + ":" + (i + 3)));
        }
        Channel down = ring.channelFor("p:0:3");

        ring.unavailable(down);

        before.forEach((conversation, router) -> {
            Channel now = ring.channelFor(conversation);
            if (router == down) {
                assertNotSame(down, now, conversation + " moved off the unavailable router");
            } else {
                assertSame(router, now, conversation + " stays where it was");
            }
        });
    }

    private static String address(RouterRing ring, String key) {
        return ring.addressFor(key);
    }
}
