/**
 * The RabbitMQ adapter of a cluster push node: its retry checks wait in per-node delay queues
 * ({@link im.rabbitmq.retry}). Present on the classpath means wired: it owns every RabbitMQ name
 * the node uses.
 */
package im.rabbitmq;
