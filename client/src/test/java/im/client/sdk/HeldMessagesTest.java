package im.client.sdk;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static im.client.sdk.HeldMessages.Outcome.DUPLICATE;
import static im.client.sdk.HeldMessages.Outcome.INVALID;
import static im.client.sdk.HeldMessages.Outcome.NEW;
import static im.client.sdk.HeldMessages.Outcome.NO_ROOM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldMessagesTest {

    private static final String C = "p:1:2";
    private static final String G = "g:7";

    @Test
    void messagesInOrderAdvanceTheCursor() {
        HeldMessages held = new HeldMessages(100, Map.of());
        assertEquals(NEW, held.hold(C, 1));
        assertEquals(NEW, held.hold(C, 2));
        assertEquals(2, held.contiguous(C));
        assertEquals(Map.of(C, 2L), held.cursors());
    }

    @Test
    void duplicateIsDroppedBelowAndAboveTheCursor() {
        HeldMessages held = new HeldMessages(100, Map.of());
        held.hold(C, 1);
        held.hold(C, 3);
        assertEquals(DUPLICATE, held.hold(C, 1));
        assertEquals(DUPLICATE, held.hold(C, 3));
    }

    @Test
    void gapHoldsTheCursorUntilFilled() {
        HeldMessages held = new HeldMessages(100, Map.of());
        held.hold(C, 1);
        held.hold(C, 3);
        held.hold(C, 4);
        assertEquals(1, held.contiguous(C));
        assertTrue(held.hasGap(C));
        assertEquals(NEW, held.hold(C, 2));
        assertEquals(4, held.contiguous(C));
        assertFalse(held.hasGap(C));
    }

    @Test
    void outOfOrderArrivalEndsWithEveryMessageHeldOnce() {
        HeldMessages held = new HeldMessages(100, Map.of());
        long[] arrival = {5, 2, 4, 1, 3, 2, 5};
        int fresh = 0;
        for (long seq : arrival) {
            if (held.hold(C, seq) == NEW) {
                fresh++;
            }
        }
        assertEquals(5, fresh);
        assertEquals(5, held.contiguous(C));
    }

    @Test
    void initialCursorsCountAsHeld() {
        HeldMessages held = new HeldMessages(100, Map.of(C, 10L));
        assertEquals(DUPLICATE, held.hold(C, 10));
        assertEquals(NEW, held.hold(C, 11));
        assertEquals(Map.of(C, 11L), held.cursors());
    }

    @Test
    void conversationsAreIndependent() {
        HeldMessages held = new HeldMessages(100, Map.of());
        held.hold(C, 1);
        assertEquals(NEW, held.hold("p:1:3", 1));
        assertEquals(Map.of(C, 1L, "p:1:3", 1L), held.cursors());
    }

    @Test
    void messagesAboveAGapAreBoundedAndRefusedBeyondTheBound() {
        HeldMessages held = new HeldMessages(2, Map.of());
        assertEquals(NEW, held.hold(C, 3));
        assertEquals(NEW, held.hold(C, 4));
        assertEquals(NO_ROOM, held.hold(C, 5));
        assertEquals(NEW, held.hold(C, 1));
        assertEquals(NEW, held.hold(C, 2));
        assertEquals(4, held.contiguous(C));
        assertEquals(NEW, held.hold(C, 5));
    }

    @Test
    void seqBelowOneIsInvalid() {
        HeldMessages held = new HeldMessages(10, Map.of());
        assertEquals(INVALID, held.hold(C, 0));
        assertTrue(held.cursors().isEmpty());
    }

    @Test
    void seqsBelowTheFirstReadable_countAsHeld() {
        HeldMessages held = new HeldMessages(100, Map.of());
        held.hold(G, 51);
        assertTrue(held.hasGap(G));
        held.readableFrom(G, 50);
        assertEquals(49, held.contiguous(G));
        assertEquals(DUPLICATE, held.hold(G, 20), "before the join: none of this member's");
        assertEquals(NEW, held.hold(G, 50));
        assertEquals(51, held.contiguous(G), "the message held above the gap joins the cursor");
        assertFalse(held.hasGap(G));
    }

    @Test
    void firstReadableNeverMovesTheCursorBack() {
        HeldMessages held = new HeldMessages(100, Map.of(G, 80L));
        held.readableFrom(G, 50);
        assertEquals(80, held.contiguous(G));
        held.readableFrom(C, 1);
        held.readableFrom(C, 0);
        assertEquals(Map.of(G, 80L), held.cursors(), "1 (a private chat) and 0 (not said) change nothing");
    }
}
