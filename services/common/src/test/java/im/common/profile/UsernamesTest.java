package im.common.profile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UsernamesTest {

    @Test
    void usernamesAreThreeToThirtyTwoOfLowerCaseLettersDigitsAndUnderscoreDotDash() {
        assertTrue(Usernames.isValid("al_i.c-e9"));
        assertTrue(Usernames.isValid("abc"));
        assertTrue(Usernames.isValid("x".repeat(32)));
        assertFalse(Usernames.isValid("ab"), "too short");
        assertFalse(Usernames.isValid("x".repeat(33)), "too long");
        assertFalse(Usernames.isValid("Alice"), "upper case");
        assertFalse(Usernames.isValid("ali ce"));
        assertFalse(Usernames.isValid("alicé"));
        assertFalse(Usernames.isValid(null));
    }

    @Test
    void aPrefixFollowsTheSameCharactersFromItsOwnMinimumLength() {
        assertTrue(Usernames.isPrefix("al", 2));
        assertFalse(Usernames.isPrefix("a", 2));
        assertFalse(Usernames.isPrefix("A1", 2));
        assertFalse(Usernames.isPrefix("x".repeat(33), 2));
        assertFalse(Usernames.isPrefix(null, 2));
    }
}
