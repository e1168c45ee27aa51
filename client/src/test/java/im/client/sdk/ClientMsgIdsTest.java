package im.client.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClientMsgIdsTest {

    @Test
    void keysAreVersion7UuidsWhoseTextSortsInTheOrderTheyWereMade() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ClientMsgIds.next());
        }

        assertEquals(10_000, new HashSet<>(made).size(), "unique");
        for (int i = 1; i < made.size(); i++) {
            assertTrue(made.get(i - 1).compareTo(made.get(i)) < 0,
                    () -> "text order == making order, also within one millisecond");
        }
        UUID first = UUID.fromString(made.get(0));
        assertEquals(7, first.version());
        assertTrue(made.get(0).length() <= 64, "fits the server's client_msg_id");
    }
}
