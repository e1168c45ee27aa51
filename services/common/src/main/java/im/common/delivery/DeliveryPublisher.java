package im.common.delivery;

import im.protocol.delivery.DeliveryEvent;

/**
 * Router side of the router -> push hop: hands one event to the push node it names. In standalone
 * mode an in-process call; in cluster mode a Kafka record on that node's topic. Publishing happens
 * after the message is durable, so a lost event costs latency (sync and retransmit recover it),
 * never data.
 */
public interface DeliveryPublisher {

    void publish(DeliveryEvent event);
}
