package im.client.cli;

import im.client.sdk.ImErrorException;
import im.protocol.client.Content;
import im.protocol.client.GroupEvent;
import im.protocol.client.GroupRole;
import im.protocol.client.Message;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * How the command line shows the messages of one conversation (a group's system messages as
 * {@code * alice added bob, carol}), and explains send failures.
 */
final class MessageLines {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** Longest text message the router accepts (im.router.send.max-text-length), in characters. */
    static final int MAX_TEXT_LENGTH = 4_000;

    private final LongFunction<String> names;
    private final ZoneId zone;

    /** A private chat: the two members are known by name, anyone else by id. */
    MessageLines(long me, String myName, long peer, String peerName, ZoneId zone) {
        this(id -> id == me ? myName : id == peer ? peerName : "user " + id, zone);
    }

    /** {@code names} gives a user id's username (a group's members, looked up as they appear). */
    MessageLines(LongFunction<String> names, ZoneId zone) {
        this.names = names;
        this.zone = zone;
    }

    /**
     * {@code [12:03:04] bob: hi}, or {@code [12:03:04] * bob left} for a group's system message.
     * Control characters are replaced: a message cannot drive the terminal.
     */
    String format(Message m) {
        String time = "[" + TIME.format(Instant.ofEpochMilli(m.getCreatedAtMs()).atZone(zone)) + "] ";
        if (m.hasGroupEvent()) {
            return time + "* " + describe(m.getSenderId(), m.getGroupEvent());
        }
        if (m.hasChange()) {
            return time + "* " + name(m.getSenderId()) + switch (m.getChange().getKind()) {
                case RECALLED -> " recalled message " + m.getChange().getTargetSeq();
                case EDITED -> " edited message " + m.getChange().getTargetSeq()
                        + (m.getChange().hasContent() ? ": " + printable(shown(m.getChange().getContent())) : "");
                default -> " changed message " + m.getChange().getTargetSeq();
            };
        }
        if (m.getRecalled()) {
            return time + name(m.getSenderId()) + ": [recalled]";
        }
        if (m.getHidden()) {
            return time + name(m.getSenderId()) + ": [deleted for you]";
        }
        return time + name(m.getSenderId()) + ": " + printable(shown(m));
    }

    /** What a message says, in one line: its text, or what it carries ({@code [image cat.png]}). */
    private static String shown(Message m) {
        return m.hasContent() ? shown(m.getContent()) : m.getBody().toStringUtf8();
    }

    private static String shown(Content content) {
        return switch (content.getKindCase()) {
            case TEXT -> content.getText().getText();
            case IMAGE -> "[image " + content.getImage().getImage().getName() + "]";
            case FILE -> "[file " + content.getFile().getFile().getName() + ", "
                    + content.getFile().getFile().getSize() + " bytes]";
            case CUSTOM -> "[" + content.getCustom().getType() + "]";
            case KIND_NOT_SET -> "[a kind of message this client does not know]";
        };
    }

    /** A group event in words, the actor first: {@code alice added bob, carol}. */
    String describe(long actorId, GroupEvent e) {
        String actor = name(actorId);
        List<Long> users = e.getUserIdsList();
        String who = users.stream().map(this::name).collect(Collectors.joining(", "));
        return switch (e.getKind()) {
            case CREATED -> actor + " created the group \"" + printable(e.getName()) + "\""
                    + (users.isEmpty() ? "" : " with " + who);
            case JOINED -> users.equals(List.of(actorId)) ? actor + " joined" : actor + " added " + who;
            case LEFT -> actor + " left";
            case REMOVED -> actor + " removed " + who;
            case ROLE_CHANGED -> actor + " made " + who + " " + roleWithArticle(e.getRole(), users.size());
            case MEMBERS_MUTED -> actor + (e.getMuted() ? " muted " : " unmuted ") + who;
            case GROUP_MUTED -> e.getMuted()
                    ? actor + " muted the group: only the owner and admins may send"
                    : actor + " unmuted the group: everyone may send";
            case OWNER_CHANGED -> actor + " made " + who + " the owner";
            case RENAMED -> actor + " renamed the group to \"" + printable(e.getName()) + "\"";
            case DISSOLVED -> actor + " dissolved the group";
            default -> actor + " changed the group";
        };
    }

    /** The line that tells a member is typing. */
    String typing(long userId) {
        return "-- " + name(userId) + " is typing...";
    }

    private String name(long userId) {
        return printable(names.apply(userId));
    }

    private static String roleWithArticle(GroupRole role, int users) {
        String name = role(role);
        if (users != 1) {
            return name + "s";
        }
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    /** {@code owner}, {@code admin}, {@code member} ({@code unknown role}: one a newer server named). */
    static String role(GroupRole role) {
        return role == null || role == GroupRole.UNRECOGNIZED || role == GroupRole.GROUP_ROLE_UNSPECIFIED
                ? "unknown role" : role.name().toLowerCase(Locale.ROOT);
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

    /** The text to send as a text message, once the router would take it. */
    static String text(String text) {
        if (text.isBlank()) {
            throw new CliException("nothing to send");
        }
        int length = text.codePointCount(0, text.length());
        if (length > MAX_TEXT_LENGTH) {
            throw new CliException("message too long: " + length + " characters, at most " + MAX_TEXT_LENGTH);
        }
        return text;
    }

    /** A failed send as one line the user can act on. */
    static String sendFailure(ImErrorException e, String peerName) {
        return switch (e.getCode()) {
            case NOT_FRIENDS -> peerName + " is not your friend yet: `im friend add " + peerName + "`";
            case UNKNOWN_USER -> "no such user: " + peerName;
            case PERMISSION_DENIED -> "you may not message " + peerName + ": " + e.getMessage();
            default -> commonFailure(e);
        };
    }

    /** A failed send to a group as one line the user can act on. */
    static String groupSendFailure(ImErrorException e, String groupName) {
        return switch (e.getCode()) {
            case PERMISSION_DENIED -> "you may not send in " + groupName
                    + " (muted, or the group is muted or dissolved): " + e.getMessage();
            case UNKNOWN_CONVERSATION -> "you are not a member of " + groupName;
            default -> commonFailure(e);
        };
    }

    private static String commonFailure(ImErrorException e) {
        return switch (e.getCode()) {
            case RATE_LIMITED -> "sending too fast, try again in a moment";
            case UNAVAILABLE, INTERNAL -> "not sent, the server failed (" + e.getMessage() + "); sending again is safe";
            default -> "not sent: " + e.getCode() + ": " + e.getMessage();
        };
    }
}
