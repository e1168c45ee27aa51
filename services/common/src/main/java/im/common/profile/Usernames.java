package im.common.profile;

/**
 * What a username may be, wherever one is made or looked up: at registration and at an outside
 * provider's first login (auth), in the profile directory, its search and friend requests (user).
 * Lower case only, so that nobody registers another's name again in other letter cases.
 */
public final class Usernames {

    public static final int MIN = 3;
    public static final int MAX = 32;
    /** The characters a username may have, as error messages state them ({@link #isAllowed}). */
    public static final String CHARACTERS = "[a-z0-9_.-]";
    /** The rule as error messages state it. */
    public static final String RULE = MIN + ".." + MAX + " of " + CHARACTERS;

    private Usernames() {
    }

    /** Whether an account may have {@code value} as its username. */
    public static boolean isValid(String value) {
        return isPrefix(value, MIN);
    }

    /** Whether {@code value}, at least {@code minLength} long, is how some username could begin. */
    public static boolean isPrefix(String value, int minLength) {
        if (value == null || value.length() < minLength || value.length() > MAX) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isAllowed(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a username may contain {@code c}. */
    public static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }
}
