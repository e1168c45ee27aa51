package im.push.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Delivery acks of one device: one per conversation goes to the router at a time, the rest merge. */
class SessionAckMergeTest {

    private final Session session = new Session(new EmbeddedChannel(), 1, "phone", 1, "token");

    @Test
    void acksArrivingWhileOneIsInFlightMergeIntoTheHighestWhichGoesNext() {
        assertTrue(session.startAck("1:2", 5));
        assertFalse(session.startAck("1:2", 7));
        assertFalse(session.startAck("1:2", 6));

        assertEquals(7, session.finishAck("1:2"));
        assertEquals(-1, session.finishAck("1:2"));
        assertTrue(session.startAck("1:2", 8));
    }

    @Test
    void conversationsAreForwardedIndependently() {
        assertTrue(session.startAck("1:2", 5));
        assertTrue(session.startAck("1:3", 1));
        assertFalse(session.startAck("1:2", 9));

        assertEquals(-1, session.finishAck("1:3"));
        assertEquals(9, session.finishAck("1:2"));
    }

    @Test
    void anAbandonedAckLeavesNothingInFlight() {
        assertTrue(session.startAck("1:2", 5));
        assertFalse(session.startAck("1:2", 6));

        session.abandonAck("1:2");

        assertTrue(session.startAck("1:2", 7));
    }
}
