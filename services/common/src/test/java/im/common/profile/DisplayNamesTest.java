package im.common.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DisplayNamesTest {

    @Test
    void namesOfOtherScriptsAndJoinedEmoji_areFine_controlAndFormatCharactersAreNot() {
        assertNull(DisplayNames.fault("Zoë می\u200Cخواهم 👨\u200D👩\u200D👧"));
        assertNull(DisplayNames.fault("x".repeat(64)));
        assertEquals("displayName may have at most 64 characters", DisplayNames.fault("x".repeat(65)));
        assertEquals("displayName may not contain control or format characters (U+0009)", DisplayNames.fault("a\tb"));
        assertEquals("displayName may not contain control or format characters (U+202E)",
                DisplayNames.fault("Alice\u202Egnp.exe"));
        assertEquals("displayName is required and may not be blank", DisplayNames.fault(""));
    }

    @Test
    void aProvidersName_losesWhatIsRefused_isCutWithoutSplittingACharacter_andFallsBackWhenNothingIsLeft() {
        assertEquals("Alicegnp.exe", DisplayNames.sanitized(" Alice\u202Egnp.exe\n", "alice"));
        assertEquals("alice", DisplayNames.sanitized("\u0000\u200B\t", "alice"));
        assertEquals("alice", DisplayNames.sanitized(null, "alice"));
        String cut = DisplayNames.sanitized("x".repeat(63) + "😀😀", "alice");
        assertEquals("x".repeat(63), cut, "the emoji that would straddle the limit goes whole");
        assertNull(DisplayNames.fault(DisplayNames.sanitized("👨\u200D👩 " + "y".repeat(80), "alice")));
    }
}
