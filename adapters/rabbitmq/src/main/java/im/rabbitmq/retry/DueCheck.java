package im.rabbitmq.retry;

import im.common.retry.RetryCheck;

/**
 * A retry check with the wall-clock time it is due, which travels with it: a check that outlives
 * its process (or its level, when its delay was longer than the longest level) still knows when
 * it is due.
 */
record DueCheck(RetryCheck check, long dueAtEpochMillis) {
}
