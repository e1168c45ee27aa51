package im.router.routing;

import im.common.delivery.DeliveryHandler;
import im.protocol.delivery.DeliveryEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Two stand-in push nodes in the test app: they record what the router hands them. */
public final class RecordingDeliveryHandlers {

    private RecordingDeliveryHandlers() {
    }

    public abstract static class Recording implements DeliveryHandler {
        private final List<DeliveryEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onDelivery(DeliveryEvent event) {
            events.add(event);
        }

        public List<DeliveryEvent> events() {
            return events;
        }
    }

    @ApplicationScoped
    public static class NodeA extends Recording {
        @Override
        public String nodeId() {
            return "push-a";
        }
    }

    @ApplicationScoped
    public static class NodeB extends Recording {
        @Override
        public String nodeId() {
            return "push-b";
        }
    }
}
