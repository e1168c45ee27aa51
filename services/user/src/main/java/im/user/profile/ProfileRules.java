package im.user.profile;

import java.util.regex.Pattern;

/** The shape of usernames and display names; the same rules auth applies at registration. */
public final class ProfileRules {

    public static final int USERNAME_MAX = 32;
    public static final int DISPLAY_NAME_MAX = 64;
    /** Shortest prefix a search takes: one character would match a large share of all users. */
    public static final int SEARCH_PREFIX_MIN = 2;
    private static final int ZERO_WIDTH_NON_JOINER = 0x200C;
    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9_.-]{3,32}");
    private static final Pattern SEARCH_PREFIX = Pattern.compile("[a-z0-9_.-]{" + SEARCH_PREFIX_MIN + ",32}");

    private ProfileRules() {
    }

    public static boolean isUsername(String value) {
        return value != null && USERNAME.matcher(value).matches();
    }

    /** A prefix worth searching usernames for: what a username may start with, two characters at least. */
    public static boolean isSearchPrefix(String value) {
        return value != null && SEARCH_PREFIX.matcher(value).matches();
    }

    public static boolean isDisplayName(String value) {
        return value != null && !value.isBlank() && value.length() <= DISPLAY_NAME_MAX;
    }

    /**
     * Why a display name its owner chose cannot be stored, or null when it can; {@code value} is
     * already stripped of surrounding white space. It must be 1..64 chars (UTF-16 units, as the
     * column and registration count them: an emoji outside the BMP counts two) and hold none of:
     * control characters (Cc: tabs, line breaks, escapes), format characters (Cf: bidirectional
     * overrides that reorder the text around the name, invisible marks) except the zero-width
     * joiner and non-joiner, which emoji sequences and scripts such as Persian need, line and
     * paragraph separators, and unpaired surrogates (not text; the database refuses them). A name
     * is shown on one line next to others' messages, so it may not break or disguise that line.
     */
    public static String displayNameFault(String value) {
        if (value == null || value.isEmpty()) {
            return "displayName is required and may not be blank";
        }
        if (value.length() > DISPLAY_NAME_MAX) {
            return "displayName may have at most " + DISPLAY_NAME_MAX + " characters";
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (isRefusedInName(c)) {
                return String.format("displayName may not contain control or format characters (U+%04X)", c);
            }
            i += Character.charCount(c);
        }
        return null;
    }

    private static boolean isRefusedInName(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            case Character.FORMAT -> c != ZERO_WIDTH_JOINER && c != ZERO_WIDTH_NON_JOINER;
            default -> false;
        };
    }
}
