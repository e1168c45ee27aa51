package im.client.sdk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The time is given by hand. */
class TypingsTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void oneTypingPerConversationEveryThreeSeconds_andEveryStop() {
        Typings typings = new Typings(8);
        assertTrue(typings.send("p:1:2", true, 0));
        assertFalse(typings.send("p:1:2", true, S));
        assertFalse(typings.send("p:1:2", true, 2 * S));
        assertTrue(typings.send("p:1:2", false, 2 * S));
        assertTrue(typings.send("p:1:2", false, 2 * S));
        assertFalse(typings.send("p:1:2", true, 2 * S), "a stop does not start the three seconds again");
        assertTrue(typings.send("p:1:2", true, 3 * S));
    }

    @Test
    void eachConversationHasItsOwnThreeSeconds() {
        Typings typings = new Typings(8);
        assertTrue(typings.send("p:1:2", true, 0));
        assertTrue(typings.send("p:1:3", true, 0));
        assertFalse(typings.send("p:1:3", true, S));
    }

    @Test
    void theLongestUnusedConversationIsForgottenBeyondTheBound() {
        Typings typings = new Typings(2);
        assertTrue(typings.send("a", true, 0));
        assertTrue(typings.send("b", true, 0));
        assertTrue(typings.send("c", true, 0));
        assertTrue(typings.send("a", true, S), "forgotten: sends again at once");
        assertFalse(typings.send("c", true, S));
    }
}
