package im.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.retry.DeviceKey;
import im.common.throttle.AttemptKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("ns");
    private final DeviceKey phone = new DeviceKey(7, "phone");

    @Test
    void everyKeyStartsWithTheNamespaceAndUsesOneSeparator() {
        List<String> all = List.of(keys.presenceEpoch(), keys.presenceNode("push-0"), keys.presenceUser(7),
                keys.pendingEntries(phone), keys.pendingOrder(phone), keys.pendingBySeq(phone),
                keys.throttle(new AttemptKey("login-account", "alice")), keys.revocationList(),
                keys.revocationNotices(), keys.friendshipEndings());

        assertEquals(List.of("ns:presence:epoch", "ns:presence:node:push-0", "ns:presence:user:7",
                "ns:pending:7:phone:entries", "ns:pending:7:phone:order", "ns:pending:7:phone:by-seq",
                "ns:throttle:login-account:YWxpY2U", "ns:revocation:list", "ns:revocation:notices",
                "ns:friendship:endings"), all);
        assertEquals(all.size(), Set.copyOf(all).size());
        assertTrue(all.stream().allMatch(key -> key.matches("ns(:[A-Za-z0-9_-]+)+")));
    }

    @Test
    void aThrottleSubjectCanNeitherAddASegmentNorActAsAPattern() {
        String address = keys.throttle(new AttemptKey("login-address", "2001:db8::1"));
        String tricky = keys.throttle(new AttemptKey("login-account", "a:b*?[x]"));

        assertTrue(address.matches("ns:throttle:login-address:[A-Za-z0-9_-]+"), address);
        assertTrue(tricky.matches("ns:throttle:login-account:[A-Za-z0-9_-]+"), tricky);
        assertNotEquals(keys.throttle(new AttemptKey("login-account", "a")),
                keys.throttle(new AttemptKey("login-address", "a")));
    }

    @Test
    void aNodeKeyIsItsPrefixAndTheNodeId() {
        assertEquals(keys.presenceNodePrefix() + "push-3", keys.presenceNode("push-3"));
    }

    @Test
    void theScanPatternCoversTheNamespaceOnly() {
        assertEquals("ns:*", keys.everyKeyPattern());
    }

    @Test
    void aNamespaceThatWouldActAsAPatternIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RedisKeys("im*"));
        assertThrows(IllegalArgumentException.class, () -> new RedisKeys(""));
        assertThrows(IllegalArgumentException.class, () -> new RedisKeys("a:b"));
    }
}
