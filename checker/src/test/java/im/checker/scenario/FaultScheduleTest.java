package im.checker.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.system.CheckedSystem;
import im.client.sdk.ImRestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    /** Records the faults asked of it; each is over once {@link #release} opens. */
    private static final class RecordingSystem implements CheckedSystem {
        final List<Integer> disrupted = new CopyOnWriteArrayList<>();
        volatile CountDownLatch release = new CountDownLatch(0);

        @Override public void start() { }
        @Override public String describe() { return "recording"; }
        @Override public ImRestClient rest(Duration timeout) { throw new UnsupportedOperationException(); }
        @Override public List<URI> pushTcp() { return List.of(); }
        @Override public URI storeReader() { throw new UnsupportedOperationException(); }
        @Override public String describeFault(int k) { return "fault number " + k; }
        @Override public String status() { return "up"; }
        @Override public void close() { }

        @Override
        public void disrupt(int k) throws InterruptedException {
            disrupted.add(k);
            release.await();
        }
    }

    @Test
    void faults_startEvenlySpreadOverTheSends_inOrder_andSayWhatTheyDidAndHowLongRecoveryTook() throws Exception {
        RecordingSystem system = new RecordingSystem();
        List<String> said = new CopyOnWriteArrayList<>();
        List<Integer> startedAt = new CopyOnWriteArrayList<>();
        try (FaultSchedule schedule = new FaultSchedule(system, 3, 400, said::add)) {
            for (int i = 0; i < 400; i++) {
                if (schedule.beforeSend(i)) {
                    startedAt.add(i);
                    schedule.awaitRunning();
                }
            }
            schedule.awaitLast();
        }
        assertEquals(List.of(100, 200, 300), startedAt);
        assertEquals(List.of(1, 2, 3), system.disrupted);
        assertEquals("fault 1/3: fault number 1", said.get(0));
        assertTrue(said.get(1).startsWith("fault 1/3: recovered after "), said.get(1));
        assertEquals(6, said.size());
    }

    @Test
    void aFaultStillUnderWay_holdsBackTheNextFault_butNotTheSends() throws Exception {
        RecordingSystem system = new RecordingSystem();
        CountDownLatch slow = new CountDownLatch(1);
        system.release = slow;
        List<Integer> startedAt = new CopyOnWriteArrayList<>();
        try (FaultSchedule schedule = new FaultSchedule(system, 3, 400, line -> { })) {
            for (int i = 0; i < 400; i++) {
                if (i == 250) {
                    // Fault 1 (due at 100) is still under way: fault 2 (due at 200) waits for it.
                    system.release = new CountDownLatch(0);
                    slow.countDown();
                    schedule.awaitRunning();
                }
                if (schedule.beforeSend(i)) {
                    startedAt.add(i);
                    if (i > 100) {
                        schedule.awaitRunning();
                    }
                }
            }
            schedule.awaitLast();
        }
        assertEquals(List.of(100, 250, 300), startedAt);
        assertEquals(List.of(1, 2, 3), system.disrupted);
    }

    @Test
    void faultsStillDueAfterTheLastSend_runThen_oneAfterTheOther() throws Exception {
        RecordingSystem system = new RecordingSystem();
        CountDownLatch slow = new CountDownLatch(1);
        system.release = slow;
        try (FaultSchedule schedule = new FaultSchedule(system, 3, 400, line -> { })) {
            int started = 0;
            for (int i = 0; i < 400; i++) {
                started += schedule.beforeSend(i) ? 1 : 0;
            }
            assertEquals(1, started);
            system.release = new CountDownLatch(0);
            slow.countDown();
            schedule.awaitLast();
        }
        assertEquals(List.of(1, 2, 3), system.disrupted);
    }

    @Test
    void noFaults_doesNothing() throws Exception {
        RecordingSystem system = new RecordingSystem();
        try (FaultSchedule schedule = new FaultSchedule(system, 0, 10, line -> { })) {
            for (int i = 0; i < 10; i++) {
                assertFalse(schedule.beforeSend(i));
            }
            schedule.awaitLast();
        }
        assertEquals(List.of(), system.disrupted);
    }
}
