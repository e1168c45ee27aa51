package im.common.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.token.VerifiedUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RevocationListTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RevocationList list = new RevocationList(now::get);
    private final List<Revocation> heard = new ArrayList<>();

    RevocationListTest() {
        list.addListener(heard::add);
    }

    @Test
    void aSessionRevocationRefusesThatSessionsTokensOnly_andARepeatTellsNobody() {
        Revocation revocation = new Revocation(7, "family-a", 0, now.get() + 900);

        assertTrue(list.add(revocation));
        assertFalse(list.add(revocation), "the node's own notice coming back");

        assertEquals(List.of(revocation), heard);
        assertTrue(list.covers(token(7, "family-a", now.get() - 10)));
        assertTrue(list.covers(token(7, "family-a", now.get() + 5)), "a refreshed token of the same login");
        assertFalse(list.covers(token(7, "family-b", now.get())));
        assertFalse(list.covers(token(8, "family-a", now.get())), "the id names a session of that user only");
    }

    @Test
    void aUserRevocationRefusesTokensIssuedBeforeItsMoment_andALaterMomentWidensIt() {
        long moment = now.get();
        assertTrue(list.add(new Revocation(7, null, moment, moment + 900)));
        assertTrue(list.covers(token(7, "x", moment - 1)));
        assertFalse(list.covers(token(7, "x", moment)));
        assertFalse(list.covers(token(7, null, moment)), "a token without a session id is judged by its iat");

        assertFalse(list.add(new Revocation(7, null, moment - 5, moment + 895)), "an earlier moment adds nothing");
        assertTrue(list.add(new Revocation(7, null, moment + 10, moment + 910)));

        assertTrue(list.covers(token(7, "x", moment + 9)));
        assertEquals(2, heard.size());
    }

    @Test
    void aLapsedRevocationIsNotTakenIn_andLapsedOnesAreSweptAway() {
        assertFalse(list.add(new Revocation(7, "old", 0, now.get())), "lapsed already");
        list.add(new Revocation(7, "short", 0, now.get() + 10));
        assertEquals(1, list.size());

        now.addAndGet(120);
        list.add(new Revocation(8, "later", 0, now.get() + 900));

        assertEquals(1, list.size(), "the lapsed entry went with the sweep");
        assertFalse(list.covers(token(7, "short", now.get() - 200)));
    }

    private static VerifiedUser token(long userId, String sessionId, long issuedAt) {
        return new VerifiedUser(userId, "u", Set.of(), Set.of(), issuedAt + 900, sessionId, issuedAt);
    }
}
