package im.client.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChatTypingNoticesTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aTypingPeerIsToldAtMostOnceEveryFiveSeconds_eachPeerOnItsOwn() {
        ChatCommand.TypingNotices notices = new ChatCommand.TypingNotices();
        assertTrue(notices.due(7, 0));
        assertFalse(notices.due(7, 3 * S));
        assertTrue(notices.due(8, 3 * S));
        assertFalse(notices.due(7, 5 * S - 1));
        assertTrue(notices.due(7, 5 * S));
    }
}
