package im.push.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.Frame;
import im.protocol.client.Typing;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gate is given the time: these tests move it by hand. */
class TypingGateTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final TypingGate gate = new TypingGate();

    private static Frame typing(String conversationId, boolean typing) {
        return Frame.newBuilder().setTyping(Typing.newBuilder().setConversationId(conversationId).setTyping(typing))
                .build();
    }

    /** Whether the signal went to the router at once; the router answers it at once. */
    private boolean forwarded(String conversationId, boolean typing, long atMs) {
        Frame frame = gate.offer(typing(conversationId, typing), atMs * MS);
        if (frame == null) {
            return false;
        }
        assertNull(gate.answered());
        return true;
    }

    @Test
    void oneSignalPerConversationPerSecond_theRestAreDropped() {
        assertTrue(forwarded("p:1:2", true, 0));
        assertFalse(forwarded("p:1:2", true, 300));
        assertFalse(forwarded("p:1:2", true, 999));
        assertTrue(forwarded("p:1:2", true, 1000));
        assertFalse(forwarded("p:1:2", true, 1500));
        assertTrue(forwarded("p:1:2", true, 2100));
    }

    @Test
    void eachConversationHasItsOwnSecond() {
        assertTrue(forwarded("p:1:2", true, 0));
        assertTrue(forwarded("p:1:3", true, 10));
        assertTrue(forwarded("g:7", true, 20));
        assertFalse(forwarded("p:1:3", true, 500));
    }

    @Test
    void aStopRightAfterAForwardedStartGoes_butNotASecondStopNorAStartAfterIt() {
        assertTrue(forwarded("p:1:2", true, 0));
        assertTrue(forwarded("p:1:2", false, 100));
        assertFalse(forwarded("p:1:2", false, 200));
        assertFalse(forwarded("p:1:2", true, 300));
        assertFalse(forwarded("p:1:2", true, 1050), "the second counts from the stop");
        assertTrue(forwarded("p:1:2", true, 1100));
    }

    @Test
    void aStopWithinTheSecondOfAnotherStopIsDropped() {
        assertTrue(forwarded("p:1:2", false, 0));
        assertFalse(forwarded("p:1:2", true, 100));
        assertFalse(forwarded("p:1:2", false, 200));
    }

    @Test
    void atMostSixteenConversationsPerSecond_soCyclingThroughMoreDoesNotGetRoundTheLimit() {
        for (int i = 0; i < TypingGate.CONVERSATIONS; i++) {
            assertTrue(forwarded("g:" + i, true, i));
        }
        assertFalse(forwarded("g:extra", true, 100));
        assertFalse(forwarded("g:0", true, 200));

        // The oldest is forgotten a second after it went, and its place is free.
        assertTrue(forwarded("g:extra", true, 1000));
        assertFalse(forwarded("g:another", true, 1000));
        assertTrue(forwarded("g:another", true, 1001));
    }

    @Test
    void oneSignalIsWithTheRouterAtATime_andTheLatestOfEachConversationFollowsInTurn() {
        Frame start = typing("p:1:2", true);
        assertSame(start, gate.offer(start, 0));
        Frame other = typing("p:1:3", true);
        assertNull(gate.offer(other, 10 * MS), "waits for the one with the router");
        Frame stop = typing("p:1:2", false);
        assertNull(gate.offer(stop, 20 * MS));

        assertSame(other, gate.answered());
        assertSame(stop, gate.answered());
        assertNull(gate.answered());
        Frame next = typing("p:1:4", true);
        assertSame(next, gate.offer(next, 30 * MS), "none with the router: it goes at once");
    }

    @Test
    void whileTheRouterIsSlow_atMostSixteenWait_theOldestDropped() {
        assertTrue(gate.offer(typing("g:first", true), 0) != null);
        for (int i = 0; i < TypingGate.CONVERSATIONS + 4; i++) {
            // Each a second apart, so the rate limit lets every one through to the queue.
            assertNull(gate.offer(typing("g:" + i, true), (i + 1) * 1000 * MS));
        }
        int waited = 0;
        String first = null;
        for (Frame frame; (frame = gate.answered()) != null; waited++) {
            first = first == null ? frame.getTyping().getConversationId() : first;
        }
        assertEquals(TypingGate.CONVERSATIONS, waited);
        assertEquals("g:4", first);
    }
}
