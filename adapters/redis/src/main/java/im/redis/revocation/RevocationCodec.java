package im.redis.revocation;

import im.common.revocation.Revocation;

/**
 * A revocation as it is stored in the list and sent as a notice: {@code s|user|until|sid} for a
 * session, {@code u|user|until|issuedBefore} for a whole user. The session id comes last, so
 * whatever it holds cannot shift the other fields.
 */
final class RevocationCodec {

    private static final char SEPARATOR = '|';

    private RevocationCodec() {
    }

    static String encode(Revocation revocation) {
        String last = revocation.coversWholeUser() ? Long.toString(revocation.issuedBeforeEpochSecond())
                : revocation.sessionId();
        return (revocation.coversWholeUser() ? "u" : "s") + SEPARATOR + revocation.userId() + SEPARATOR
                + revocation.untilEpochSecond() + SEPARATOR + last;
    }

    /** The revocation, or null for text that is not one (written by another version, or by hand). */
    static Revocation decode(String text) {
        String[] parts = text.split("\\|", 4);
        if (parts.length != 4) {
            return null;
        }
        try {
            long userId = Long.parseLong(parts[1]);
            long until = Long.parseLong(parts[2]);
            if ("s".equals(parts[0])) {
                return new Revocation(userId, parts[3], 0, until);
            }
            if ("u".equals(parts[0])) {
                return new Revocation(userId, null, Long.parseLong(parts[3]), until);
            }
            return null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
