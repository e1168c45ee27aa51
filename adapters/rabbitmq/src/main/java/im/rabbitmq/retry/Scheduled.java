package im.rabbitmq.retry;

/** A check on its way to the broker: when it is due and the level queue it waits in. */
record Scheduled(DueCheck due, RetryQueues.Level level) {
}
