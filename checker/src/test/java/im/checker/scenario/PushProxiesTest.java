package im.checker.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushProxiesTest {

    @Test
    void homeNode_putsPartnersOnDifferentNodes_includingAnOddLastUserAndUserZero() {
        for (int users : new int[] {2, 5, 6, 7}) {
            for (int i = 0; i + 1 < users; i += 2) {
                assertNotEquals(ReliableDeliveryScenario.homeNode(i, users, 2),
                        ReliableDeliveryScenario.homeNode(i + 1, users, 2), users + " users, pair " + i);
            }
            if (users % 2 == 1) {
                assertNotEquals(ReliableDeliveryScenario.homeNode(users - 1, users, 2),
                        ReliableDeliveryScenario.homeNode(0, users, 2), users + " users, last with 0");
            }
        }
    }

    @Test
    void homeNode_withOneNode_isAlwaysThatNode() {
        for (int i = 0; i < 7; i++) {
            assertEquals(0, ReliableDeliveryScenario.homeNode(i, 7, 1));
        }
    }

    @Test
    void endpointsFrom_listsEveryProxy_homeFirst() throws Exception {
        List<URI> backends = List.of(URI.create("tcp://127.0.0.1:1"), URI.create("tcp://127.0.0.1:2"));
        try (PushProxies proxies = PushProxies.start(backends, 7)) {
            List<URI> fromFirst = proxies.endpointsFrom(0);
            List<URI> fromSecond = proxies.endpointsFrom(1);
            assertEquals(2, fromFirst.size());
            assertNotEquals(fromFirst.get(0), fromFirst.get(1));
            assertEquals(List.of(fromFirst.get(1), fromFirst.get(0)), fromSecond);
        }
    }
}
