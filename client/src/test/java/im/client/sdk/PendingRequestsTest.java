package im.client.sdk;

import im.protocol.client.Frame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingRequestsTest {

    /** Timeouts fire when the test says so, not when a clock does. */
    private static final class ManualScheduler implements TimeoutScheduler {
        final List<Runnable> tasks = new ArrayList<>();
        int cancelled;

        @Override
        public Runnable schedule(Runnable task, Duration delay) {
            tasks.add(task);
            return () -> cancelled++;
        }

        void fireAll() {
            new ArrayList<>(tasks).forEach(Runnable::run);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static Frame answer(long id) {
        return Frame.newBuilder().setRequestId(id).build();
    }

    @Test
    void answerCompletesTheRequestWithTheSameId() throws Exception {
        ManualScheduler timer = new ManualScheduler();
        PendingRequests pending = new PendingRequests(10, timer);
        CompletableFuture<Frame> one = pending.register(1, TIMEOUT);
        CompletableFuture<Frame> two = pending.register(2, TIMEOUT);
        assertTrue(pending.complete(2, answer(2)));
        assertEquals(2, two.get().getRequestId());
        assertFalse(one.isDone());
        assertEquals(1, pending.size());
        assertEquals(1, timer.cancelled);
    }

    @Test
    void timeoutFailsTheRequestAndRemovesIt() {
        ManualScheduler timer = new ManualScheduler();
        PendingRequests pending = new PendingRequests(10, timer);
        CompletableFuture<Frame> request = pending.register(1, TIMEOUT);
        timer.fireAll();
        ExecutionException e = assertThrows(ExecutionException.class, request::get);
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals(0, pending.size());
        assertFalse(pending.complete(1, answer(1)), "a late answer finds nothing waiting");
    }

    @Test
    void errorFailsOnlyItsRequest() {
        PendingRequests pending = new PendingRequests(10, new ManualScheduler());
        CompletableFuture<Frame> one = pending.register(1, TIMEOUT);
        CompletableFuture<Frame> two = pending.register(2, TIMEOUT);
        pending.fail(1, new ImErrorException(im.protocol.client.ErrorCode.NOT_FRIENDS, "no"));
        ExecutionException e = assertThrows(ExecutionException.class, one::get);
        assertEquals(im.protocol.client.ErrorCode.NOT_FRIENDS, ((ImErrorException) e.getCause()).getCode());
        assertFalse(two.isDone());
    }

    @Test
    void requestsBeyondTheBoundFailAtOnce() {
        PendingRequests pending = new PendingRequests(2, new ManualScheduler());
        pending.register(1, TIMEOUT);
        pending.register(2, TIMEOUT);
        CompletableFuture<Frame> third = pending.register(3, TIMEOUT);
        ExecutionException e = assertThrows(ExecutionException.class, third::get);
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertEquals(2, pending.size());
    }

    @Test
    void lostConnectionFailsEveryWaitingRequest() {
        ManualScheduler timer = new ManualScheduler();
        PendingRequests pending = new PendingRequests(10, timer);
        CompletableFuture<Frame> one = pending.register(1, TIMEOUT);
        CompletableFuture<Frame> two = pending.register(2, TIMEOUT);
        pending.failAll(new java.io.IOException("gone"));
        assertTrue(one.isCompletedExceptionally());
        assertTrue(two.isCompletedExceptionally());
        assertEquals(0, pending.size());
        assertEquals(2, timer.cancelled);
    }

    @Test
    void reusedRequestIdIsRefused() {
        PendingRequests pending = new PendingRequests(10, new ManualScheduler());
        pending.register(1, TIMEOUT);
        assertTrue(pending.register(1, TIMEOUT).isCompletedExceptionally());
        assertEquals(1, pending.size());
    }
}
