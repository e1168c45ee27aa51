package im.client.sdk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatcherTest {

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private final ExecutorService listenerThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-listener");
        t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        return t;
    });
    private final List<Boolean> networkReads = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        listenerThread.shutdownNow();
    }

    private void listenerDone() throws Exception {
        listenerThread.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void callbacksRunOnTheListenerThread_inTheOrderQueued() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Dispatcher dispatcher = new Dispatcher(new ImClient.Listener() {
            @Override
            public void onConnectionState(ConnectionState state) {
                seen.add(Thread.currentThread().getName() + ":" + state);
            }
        }, 100, listenerThread, networkReads::add);
        dispatcher.toListener(l -> l.onConnectionState(ConnectionState.CONNECTING));
        dispatcher.afterListener(() -> seen.add("after"));
        dispatcher.toListener(l -> l.onConnectionState(ConnectionState.CONNECTED));
        listenerDone();
        assertEquals(List.of("test-listener:CONNECTING", "after", "test-listener:CONNECTED"), seen);
        assertTrue(networkReads.isEmpty());
    }

    @Test
    void readingPausesAtTheHighMark_andResumesOnceTheBacklogHalves() throws Exception {
        Dispatcher dispatcher = new Dispatcher(new ImClient.Listener() { }, 4, listenerThread, networkReads::add);
        CountDownLatch slowApplication = new CountDownLatch(1);
        dispatcher.afterListener(() -> {
            try {
                slowApplication.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        dispatcher.afterListener(() -> { });
        dispatcher.afterListener(() -> { });
        assertTrue(networkReads.isEmpty(), "below the mark reading goes on");
        dispatcher.afterListener(() -> { });
        assertEquals(List.of(false), networkReads);

        slowApplication.countDown();
        await().until(() -> networkReads.size() == 2);
        listenerDone();
        assertEquals(List.of(false, true), networkReads);
    }

    @Test
    void callbackThatThrows_isReportedAndLaterCallbacksStillRun() throws Exception {
        Dispatcher dispatcher = new Dispatcher(new ImClient.Listener() { }, 100, listenerThread, networkReads::add);
        List<String> seen = new CopyOnWriteArrayList<>();
        dispatcher.afterListener(() -> {
            throw new IllegalStateException("application bug");
        });
        dispatcher.afterListener(() -> seen.add("later"));
        listenerDone();
        assertEquals(List.of("later"), seen);
        assertEquals(1, uncaught.size());
        assertEquals("application bug", uncaught.get(0).getMessage());
    }

    @Test
    void callbacksQueuedBeforeShutdown_stillRun_laterOnesAreDropped() throws Exception {
        Dispatcher dispatcher = new Dispatcher(new ImClient.Listener() { }, 100, listenerThread, networkReads::add);
        List<String> seen = new CopyOnWriteArrayList<>();
        dispatcher.afterListener(() -> seen.add("queued"));
        dispatcher.shutdown();
        dispatcher.afterListener(() -> seen.add("too late"));
        assertTrue(listenerThread.awaitTermination(5, TimeUnit.SECONDS));
        assertEquals(List.of("queued"), seen);
    }
}
