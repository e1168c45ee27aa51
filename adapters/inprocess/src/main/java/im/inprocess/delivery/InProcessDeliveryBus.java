package im.inprocess.delivery;

import im.protocol.delivery.DeliveryEvent;
import im.common.delivery.DeliveryHandler;
import im.common.delivery.DeliveryPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * The router -> push hop inside one JVM: events go straight to the local push node's handler.
 * An event for a node that is not in this JVM is dropped; its devices catch up by sync.
 */
@ApplicationScoped
public class InProcessDeliveryBus implements DeliveryPublisher {

    private final Instance<DeliveryHandler> handlers;

    public InProcessDeliveryBus(Instance<DeliveryHandler> handlers) {
        this.handlers = handlers;
    }

    @Override
    public void publish(DeliveryEvent event) {
        for (DeliveryHandler handler : handlers) {
            if (handler.nodeId().equals(event.getNodeId())) {
                handler.onDelivery(event);
            }
        }
    }
}
