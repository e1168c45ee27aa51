package im.push.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.push.PushConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {

    private static PushConfig limit(int maxConnections) {
        return new PushConfig() {
            @Override
            public String nodeId() {
                return "push-test";
            }

            @Override
            public int maxFrameBytes() {
                return 65536;
            }

            @Override
            public int maxConnections() {
                return maxConnections;
            }

            @Override
            public Duration heartbeatInterval() {
                return Duration.ofSeconds(30);
            }
        };
    }

    private static Session session(long user, String device, long epoch) {
        return new Session(new EmbeddedChannel(), user, device, epoch, "token");
    }

    @Test
    void newerSessionOfADeviceReplacesTheOlderOne() {
        SessionRegistry registry = new SessionRegistry(limit(10));
        Session older = session(1, "phone", 1);
        Session newer = session(1, "phone", 2);

        assertNull(registry.register(older).replaced());
        SessionRegistry.Registration registration = registry.register(newer);

        assertEquals(SessionRegistry.Outcome.REGISTERED, registration.outcome());
        assertSame(older, registration.replaced());
        assertEquals(List.of(newer), List.copyOf(registry.sessionsOf(1)));
        assertEquals(1, registry.size());
    }

    @Test
    void olderSessionArrivingLateLosesToTheNewerOne() {
        SessionRegistry registry = new SessionRegistry(limit(10));
        Session newer = session(1, "phone", 5);
        registry.register(newer);

        assertEquals(SessionRegistry.Outcome.STALE, registry.register(session(1, "phone", 4)).outcome());
        assertEquals(List.of(newer), List.copyOf(registry.sessionsOf(1)));
    }

    @Test
    void closingAReplacedSessionKeepsTheNewerOne() {
        SessionRegistry registry = new SessionRegistry(limit(10));
        Session older = session(1, "phone", 1);
        Session newer = session(1, "phone", 2);
        registry.register(older);
        registry.register(newer);

        assertFalse(registry.remove(older));
        assertEquals(List.of(newer), List.copyOf(registry.sessionsOf(1)));
        assertTrue(registry.remove(newer));
        assertTrue(registry.sessionsOf(1).isEmpty());
        assertEquals(0, registry.size());
    }

    @Test
    void registryRefusesSessionsBeyondItsBound() {
        SessionRegistry registry = new SessionRegistry(limit(2));
        registry.register(session(1, "a", 1));
        registry.register(session(2, "a", 2));

        assertEquals(SessionRegistry.Outcome.FULL, registry.register(session(3, "a", 3)).outcome());
        assertEquals(SessionRegistry.Outcome.REGISTERED, registry.register(session(1, "a", 4)).outcome(),
                "replacing a device's session takes no new room");
        assertEquals(2, registry.size());
    }

    @Test
    void devicesOfOneUserAreKeptApart() {
        SessionRegistry registry = new SessionRegistry(limit(10));
        registry.register(session(1, "phone", 1));
        registry.register(session(1, "laptop", 2));

        assertEquals(2, registry.sessionsOf(1).size());
    }
}
