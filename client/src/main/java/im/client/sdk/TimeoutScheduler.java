package im.client.sdk;

import java.time.Duration;

/** Runs a task after a delay; the returned action cancels it. Tests drive time by hand. */
interface TimeoutScheduler {

    Runnable schedule(Runnable task, Duration delay);
}
