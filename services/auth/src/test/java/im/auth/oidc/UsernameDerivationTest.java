package im.auth.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.profile.Usernames;
import org.junit.jupiter.api.Test;

class UsernameDerivationTest {

    private static String derive(String login, String subject) {
        String username = OidcLoginService.deriveUsername("gitee", new ExternalIdentity(subject, login, null));
        assertTrue(Usernames.isValid(username), username);
        return username;
    }

    @Test
    void giteeLogin_becomesTheUsername_lowerCased() {
        assertEquals("alice.wu-2", derive("Alice.Wu-2", "1"));
    }

    @Test
    void charactersOutsideTheUsernameRule_becomeUnderscores() {
        assertEquals("a_b_c", derive("a b+c", "1"));
    }

    @Test
    void loginWithoutLettersOrDigitsOrTooShort_fallsBackToProviderAndSubject() {
        assertEquals("gitee-8842", derive("张三丰", "8842"));
        assertEquals("gitee-8842", derive("ab", "8842"));
        assertEquals("gitee-8842", derive(null, "8842"));
    }

    @Test
    void longLogin_isCutTo32() {
        assertEquals(32, derive("x".repeat(40), "1").length());
    }
}
