package im.common.profile;

/**
 * What a display name may be, wherever one is chosen: at registration (auth), by its owner later
 * (user), or taken from an outside provider's profile (auth's OIDC login). A name is shown on one
 * line next to others' messages, so it may not break or disguise that line.
 */
public final class DisplayNames {

    public static final int MAX = 64;
    private static final int ZERO_WIDTH_NON_JOINER = 0x200C;
    private static final int ZERO_WIDTH_JOINER = 0x200D;

    private DisplayNames() {
    }

    /**
     * Why a display name a person chose cannot be stored, or null when it can; {@code value} is
     * already stripped of surrounding white space. It must be 1..64 chars (UTF-16 units, as the
     * column counts them: an emoji outside the BMP counts two) and hold none of: control characters
     * (Cc: tabs, line breaks, escapes), format characters (Cf: bidirectional overrides that reorder
     * the text around the name, invisible marks) except the zero-width joiner and non-joiner, which
     * emoji sequences and scripts such as Persian need, line and paragraph separators, and unpaired
     * surrogates (not text; the database refuses them).
     */
    public static String fault(String value) {
        if (value == null || value.isEmpty()) {
            return "displayName is required and may not be blank";
        }
        if (value.length() > MAX) {
            return "displayName may have at most " + MAX + " characters";
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (isRefused(c)) {
                return String.format("displayName may not contain control or format characters (U+%04X)", c);
            }
            i += Character.charCount(c);
        }
        return null;
    }

    /**
     * A name nobody here typed (an outside provider's) made storable: refused characters dropped,
     * stripped, cut to {@link #MAX} without splitting a character; {@code fallback} when nothing
     * is left.
     */
    public static String sanitized(String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        StringBuilder kept = new StringBuilder(Math.min(value.length(), MAX));
        value.codePoints().filter(c -> !isRefused(c)).forEach(kept::appendCodePoint);
        String name = kept.toString().strip();
        if (name.length() > MAX) {
            int end = Character.isHighSurrogate(name.charAt(MAX - 1)) ? MAX - 1 : MAX;
            name = name.substring(0, end).strip();
        }
        return name.isEmpty() ? fallback : name;
    }

    private static boolean isRefused(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            case Character.FORMAT -> c != ZERO_WIDTH_JOINER && c != ZERO_WIDTH_NON_JOINER;
            default -> false;
        };
    }
}
