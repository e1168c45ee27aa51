package im.common.delivery;

import im.protocol.delivery.DeliveryEvent;

/** Push side of the router -> push hop: a node that writes events to its local devices. */
public interface DeliveryHandler {

    /** The node this handler serves; it gets only events addressed to it. */
    String nodeId();

    /** Writes the event to the node's local sessions. Must not block. */
    void onDelivery(DeliveryEvent event);
}
