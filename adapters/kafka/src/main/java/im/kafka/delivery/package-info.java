/**
 * The cluster form of the router -> push hop over Kafka: {@link im.kafka.delivery.KafkaDeliveryPublisher}
 * (router side) writes each delivery event to the topic of the push node it names, and
 * {@link im.kafka.delivery.KafkaDeliveryConsumer} (push side) feeds each node's handler from its own
 * topic. {@link im.kafka.delivery.DeliveryTopics} owns every topic and group name.
 */
package im.kafka.delivery;
