package im.rabbitmq.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.retry.RetryConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The names and arguments one node's retry checks use, without a broker. */
class RetryQueuesTest {

    private static RetryQueues node(String nodeId) {
        RetryConfig retry = Broker.config(Map.of()).getConfigMapping(RetryConfig.class);
        return RetryQueues.forNode("im", nodeId, retry);
    }

    @Test
    void defaultRetryConfig_givesOneLevelPerAttempt_namedByItsTtl() {
        RetryQueues queues = node("push-0");

        assertEquals(List.of(5_000L, 10_000L, 20_000L, 40_000L),
                queues.levels().stream().map(level -> level.delay().toMillis()).toList());
        assertEquals("im.retry.push-0.delay.10000ms", queues.levels().get(1).queue());
        assertEquals("im.retry.push-0.check", queues.checkQueue());
        assertEquals(Map.of("x-message-ttl", 10_000L, "x-dead-letter-exchange", "im.retry.push-0",
                "x-dead-letter-routing-key", "im.retry.push-0.check"),
                queues.delayQueueArguments(queues.levels().get(1)));
    }

    @Test
    void aDelayMatchingNoLevel_goesToTheShortestLevelNotShorterThanIt() {
        RetryQueues queues = node("push-0");

        assertEquals(Duration.ofSeconds(5), queues.levelFor(Duration.ZERO).delay());
        assertEquals(Duration.ofSeconds(10), queues.levelFor(Duration.ofSeconds(10)).delay());
        assertEquals(Duration.ofSeconds(20), queues.levelFor(Duration.ofMillis(10_001)).delay());
        assertEquals(Duration.ofSeconds(40), queues.levelFor(Duration.ofMinutes(5)).delay(), "longest, then round again");
    }

    @Test
    void namesOfTwoNodesNeverOverlap() {
        Set<String> names = new HashSet<>();
        for (RetryQueues queues : List.of(node("push-0"), node("push-1"), node("push-10"))) {
            for (String name : queues.allQueues()) {
                assertTrue(names.add(name), "shared: " + name);
            }
            assertTrue(names.add(queues.exchange()), "shared: " + queues.exchange());
        }
    }

    @Test
    void aNodeIdOrNamespaceThatWouldBlurTheNames_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> node("push-0.check"));
        assertThrows(IllegalArgumentException.class, () -> node(""));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryQueues("im.x", "push-0", List.of(Duration.ofSeconds(1))));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryQueues("im", "push-0", List.of(Duration.ofSeconds(2), Duration.ofSeconds(1))));
    }
}
