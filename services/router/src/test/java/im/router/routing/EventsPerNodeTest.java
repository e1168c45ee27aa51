package im.router.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import im.protocol.client.ReadReceipt;
import im.protocol.delivery.DeliveryEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class EventsPerNodeTest {

    @Test
    void eachNodeGetsOneEventNamingItsUsersWithTheTemplatesPayloadAndExceptions() {
        ReadReceipt receipt = ReadReceipt.newBuilder().setConversationId("p:1:2").setReaderId(2).setUpToSeq(4).build();
        DeliveryEvent template = DeliveryEvent.newBuilder()
                .setExceptUserId(2).setExceptDeviceId("phone").setReadReceipt(receipt).build();
        Map<String, Set<Long>> nodes = new TreeMap<>(Map.of(
                "push-a", new TreeSet<>(List.of(1L, 2L)),
                "push-b", new TreeSet<>(List.of(2L))));

        List<DeliveryEvent> events = DeliveryRouting.eventsPerNode(nodes, template);

        assertEquals(List.of("push-a", "push-b"), events.stream().map(DeliveryEvent::getNodeId).toList());
        assertEquals(List.of(1L, 2L), events.get(0).getUserIdsList());
        assertEquals(List.of(2L), events.get(1).getUserIdsList());
        for (DeliveryEvent event : events) {
            assertEquals(receipt, event.getReadReceipt());
            assertEquals(2, event.getExceptUserId());
            assertEquals("phone", event.getExceptDeviceId());
        }
    }

    @Test
    void noNodesMeansNoEvents() {
        assertEquals(List.of(), DeliveryRouting.eventsPerNode(Map.of(), DeliveryEvent.getDefaultInstance()));
    }
}
