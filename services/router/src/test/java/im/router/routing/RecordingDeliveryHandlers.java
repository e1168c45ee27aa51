package im.router.routing;

import im.common.delivery.DeliveryHandler;
import im.common.presence.PresenceRegistry;
import im.protocol.delivery.DeliveryEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two stand-in push nodes in the test app: hosted in presence like real nodes (so entries written
 * for them count), fed by their Kafka topics, recording what the router hands them.
 */
public final class RecordingDeliveryHandlers {

    private RecordingDeliveryHandlers() {
    }

    public abstract static class Recording implements DeliveryHandler {
        private final List<DeliveryEvent> events = new CopyOnWriteArrayList<>();

        @Inject
        PresenceRegistry presence;

        void host(@Observes StartupEvent event) {
            presence.hostNode(nodeId(), List::of);
        }

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
