package im.router.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendOrderTest {

    @Test
    void onlyTheNextNumberIsAccepted() {
        assertTrue(SendOrder.accepts(0, 1));
        assertTrue(SendOrder.accepts(4, 5));
        assertFalse(SendOrder.accepts(4, 4), "a repeat of the last number");
        assertFalse(SendOrder.accepts(4, 6), "a gap");
        assertFalse(SendOrder.accepts(4, 3), "an old number");
        assertFalse(SendOrder.accepts(0, 2), "a device's first numbered send is 1");
    }

    @Test
    void expectedNumberFollowsTheLastStoredOne() {
        assertEquals(1, SendOrder.expectedAfter(0));
        assertEquals(8, SendOrder.expectedAfter(7));
    }

    @Test
    void zeroMeansUnnumbered() {
        assertFalse(SendOrder.isNumbered(0));
        assertTrue(SendOrder.isNumbered(1));
    }
}
