package im.client.cli;

import im.client.sdk.ImErrorException;
import im.protocol.client.Message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the command line shows messages of one private conversation, and explains send failures. */
final class MessageLines {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** Largest body the router accepts (architecture: body 1..16384 bytes). */
    static final int MAX_BODY_BYTES = 16_384;

    private final long me;
    private final String myName;
    private final long peer;
    private final String peerName;
    private final ZoneId zone;

    MessageLines(long me, String myName, long peer, String peerName, ZoneId zone) {
        this.me = me;
        this.myName = myName;
        this.peer = peer;
        this.peerName = peerName;
        this.zone = zone;
    }

    /** {@code [12:03:04] bob: hi}. Control characters are replaced: a message cannot drive the terminal. */
    String format(Message m) {
        String who = m.getSenderId() == me ? myName : m.getSenderId() == peer ? peerName : "user " + m.getSenderId();
        String time = TIME.format(Instant.ofEpochMilli(m.getCreatedAtMs()).atZone(zone));
        return "[" + time + "] " + who + ": " + printable(m.getBody().toStringUtf8());
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                out.append(cp == '\n' ? ' ' : '\uFFFD');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    static byte[] body(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (body.length == 0) {
            throw new CliException("nothing to send");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new CliException("message too long: " + body.length + " bytes, at most " + MAX_BODY_BYTES);
        }
        return body;
    }

    /** A failed send as one line the user can act on. */
    static String sendFailure(ImErrorException e, String peerName) {
        return switch (e.getCode()) {
            case NOT_FRIENDS -> peerName + " is not your friend yet: `im friend add " + peerName + "`";
            case UNKNOWN_USER -> "no such user: " + peerName;
            case PERMISSION_DENIED -> "you may not message " + peerName + ": " + e.getMessage();
            case RATE_LIMITED -> "sending too fast, try again in a moment";
            case UNAVAILABLE, INTERNAL -> "not sent, the server failed (" + e.getMessage() + "); sending again is safe";
            default -> "not sent: " + e.getCode() + ": " + e.getMessage();
        };
    }
}
