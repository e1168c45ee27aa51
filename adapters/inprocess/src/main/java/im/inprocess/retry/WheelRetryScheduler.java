package im.inprocess.retry;

import im.common.retry.RetryCheck;
import im.common.retry.RetryConfig;
import im.common.retry.RetryScheduler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Retry checks on a Netty {@link HashedWheelTimer}: O(1) to schedule, one thread for all of them,
 * a tick of lateness at most. Checks scheduled on a stopping node are simply not run: their
 * devices reconnect elsewhere and catch up there.
 */
@Singleton
public class WheelRetryScheduler implements RetryScheduler {

    private static final Logger LOG = Logger.getLogger(WheelRetryScheduler.class);

    private final HashedWheelTimer timer;
    private volatile Function<RetryCheck, CompletionStage<?>> handler = check -> CompletableFuture.completedFuture(null);

    @Inject
    public WheelRetryScheduler(RetryConfig config) {
        this(config.timerTick());
    }

    public WheelRetryScheduler(Duration tick) {
        this.timer = new HashedWheelTimer(new DefaultThreadFactory("im-push-retry", true),
                tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onDue(Function<RetryCheck, CompletionStage<?>> handler) {
        this.handler = handler;
    }

    @Override
    public void schedule(RetryCheck check, Duration delay) {
        try {
            timer.newTimeout(timeout -> run(check), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) {
            // stopped: the node is shutting down
            LOG.debugf("retry check not scheduled: timer stopped");
        }
    }

    private void run(RetryCheck check) {
        try {
            // nothing outlives this process: the check is done once handed over
            handler.apply(check);
        } catch (RuntimeException e) {
            // one bad check must not stop the timer thread for all the others
            LOG.warnf(e, "retry check failed for user %d device %s", check.userId(), check.deviceId());
        }
    }

    @PreDestroy
    public void stop() {
        timer.stop();
    }
}
