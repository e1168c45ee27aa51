package im.user.profile;

import java.util.regex.Pattern;

/** The shape of usernames, as auth checks them at registration (display names: {@code DisplayNames}). */
public final class ProfileRules {

    public static final int USERNAME_MAX = 32;
    /** Shortest prefix a search takes: one character would match a large share of all users. */
    public static final int SEARCH_PREFIX_MIN = 2;
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
}
