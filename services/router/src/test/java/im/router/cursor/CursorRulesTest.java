package im.router.cursor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CursorRulesTest {

    @Test
    void cursorTargetIsCappedAtTheLastStoredSeq() {
        assertEquals(3, CursorRules.capped(3, 5));
        assertEquals(5, CursorRules.capped(99, 5));
        assertEquals(0, CursorRules.capped(7, 0), "nothing stored, nothing held");
    }
}
