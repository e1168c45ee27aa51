package im.push.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendPipelineTest {

    private static Frame send(long requestId) {
        return Frame.newBuilder().setRequestId(requestId).build();
    }

    /** What a submitter would hand to the router now, in order. */
    private static List<SendPipeline.Slot> submit(SendPipeline sends) {
        List<SendPipeline.Slot> handed = new ArrayList<>();
        if (sends.claimSubmission()) {
            for (SendPipeline.Slot slot; (slot = sends.nextToSubmit()) != null;) {
                handed.add(slot);
            }
        }
        return handed;
    }

    /** A pipeline whose first send was answered (until then sends go one at a time). */
    private static SendPipeline opened(int maxInFlight, int maxQueued) {
        SendPipeline sends = new SendPipeline(maxInFlight, maxQueued);
        sends.offer(send(0));
        sends.answered(submit(sends).get(0));
        return sends;
    }

    private static List<Long> ids(List<SendPipeline.Slot> slots) {
        return slots.stream().map(slot -> slot.frame().getRequestId()).toList();
    }

    @Test
    void aNewSessionsSendsGoOneAtATimeUntilTheFirstIsAnswered() {
        SendPipeline sends = new SendPipeline(4, 10);
        sends.offer(send(1));
        sends.offer(send(2));
        sends.offer(send(3));
        List<SendPipeline.Slot> first = submit(sends);
        assertEquals(List.of(1L), ids(first));

        sends.answered(first.get(0));
        assertEquals(List.of(2L, 3L), ids(submit(sends)));
    }

    @Test
    void sendsStartInArrivalOrderUpToTheLimitAndTheRestStartAsTheFirstAreAnswered() {
        SendPipeline sends = opened(2, 10);
        for (long i = 1; i <= 5; i++) {
            assertTrue(sends.offer(send(i)));
        }
        List<SendPipeline.Slot> first = submit(sends);
        assertEquals(List.of(1L, 2L), ids(first));

        sends.answered(first.get(1));
        assertEquals(List.of(), ids(submit(sends)), "two still count as started while the first is unanswered");
        sends.answered(first.get(0));
        List<SendPipeline.Slot> next = submit(sends);
        assertEquals(List.of(3L, 4L), ids(next));
        sends.answered(next.get(0));
        assertEquals(List.of(5L), ids(submit(sends)));
    }

    @Test
    void beyondTheBoundStartedAndWaitingTogetherASendIsRefused() {
        SendPipeline sends = opened(2, 3);
        assertTrue(sends.offer(send(1)));
        assertTrue(sends.offer(send(2)));
        assertTrue(sends.offer(send(3)));
        assertFalse(sends.offer(send(4)));

        List<SendPipeline.Slot> started = submit(sends);
        sends.answered(started.get(0));
        assertTrue(sends.offer(send(4)), "an answered send frees its place");
    }

    @Test
    void aSendRefusedAsOutOfOrderBehindAnUnansweredOneIsHandedOverAgainOnceEverySendAheadIsAnswered() {
        SendPipeline sends = opened(4, 10);
        for (long i = 1; i <= 3; i++) {
            sends.offer(send(i));
        }
        List<SendPipeline.Slot> started = submit(sends);
        SendPipeline.Slot first = started.get(0);
        SendPipeline.Slot second = started.get(1);
        SendPipeline.Slot third = started.get(2);

        assertTrue(sends.parkBehindEarlier(third), "the router met the third before the first");
        assertTrue(sends.parkBehindEarlier(second));
        sends.answered(first);
        assertEquals(List.of(2L), ids(submit(sends)), "the second is at the front now; the third still waits");
        sends.answered(second);
        assertEquals(List.of(3L), ids(submit(sends)));
    }

    @Test
    void theOldestUnansweredSendIsNeverParked_itsRefusalIsTheDevicesAnswer() {
        SendPipeline sends = opened(4, 10);
        sends.offer(send(1));
        sends.offer(send(2));
        List<SendPipeline.Slot> started = submit(sends);

        assertFalse(sends.parkBehindEarlier(started.get(0)));
        sends.answered(started.get(0));
        assertFalse(sends.parkBehindEarlier(started.get(1)), "nothing ahead of it is on its way any more");
    }

    @Test
    void onlyOneThreadHandsSendsOverAtATimeAndSendsStartedMeanwhileAreItsToo() {
        SendPipeline sends = opened(4, 10);
        sends.offer(send(1));
        assertTrue(sends.claimSubmission());
        assertFalse(sends.claimSubmission(), "claimed already");
        assertEquals(1L, sends.nextToSubmit().frame().getRequestId());
        sends.offer(send(2));
        assertFalse(sends.claimSubmission(), "the claiming thread hands this one over too");
        assertEquals(2L, sends.nextToSubmit().frame().getRequestId());
        assertNull(sends.nextToSubmit());

        assertFalse(sends.claimSubmission(), "nothing to hand over");
        sends.offer(send(3));
        assertTrue(sends.claimSubmission(), "the claim ended with the null");
    }

    @Test
    void aDroppedPipelineHandsNothingOverAndTakesNothing() {
        SendPipeline sends = opened(1, 10);
        sends.offer(send(1));
        sends.offer(send(2));
        List<SendPipeline.Slot> started = submit(sends);
        sends.drop();

        sends.answered(started.get(0));
        assertEquals(List.of(), ids(submit(sends)));
        assertFalse(sends.offer(send(3)));
        assertFalse(sends.parkBehindEarlier(started.get(0)));
    }
}
