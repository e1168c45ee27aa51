package im.client.cli;

import im.client.sdk.GroupView;
import im.client.sdk.ImClient;
import im.client.sdk.ImErrorException;
import im.client.sdk.UserView;
import im.protocol.client.ConversationIds;
import im.protocol.client.SendAck;

import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;

/**
 * The conversation a command talks in: a private chat with a user, or a group. Knows how to show
 * its lines, send to it and explain a refused send.
 */
final class ChatTarget {

    /** Senders of a group whose names a chat looks up; later ones are shown by id. */
    static final int MAX_NAME_LOOKUPS = 1_000;

    private final String conversation;
    private final String description;
    private final MessageLines lines;
    private final Long groupId;
    private final long peerId;
    private final String name;

    private ChatTarget(String conversation, String description, MessageLines lines, Long groupId, long peerId,
            String name) {
        this.conversation = conversation;
        this.description = description;
        this.lines = lines;
        this.groupId = groupId;
        this.peerId = peerId;
        this.name = name;
    }

    /** The chat with {@code username}, or with group {@code groupId} when that is given. */
    static ChatTarget of(Session session, String username, Long groupId, ZoneId zone) {
        if (groupId != null) {
            GroupView group = GroupCommand.find(session, groupId);
            String name = "group " + groupId + " \"" + MessageLines.printable(group.name()) + "\"";
            UserNames names = UserNames.of(session, MAX_NAME_LOOKUPS);
            return new ChatTarget(ConversationIds.group(groupId),
                    "in " + name + (group.dissolved() ? " (dissolved)" : ""),
                    new MessageLines(names::nameOf, zone), groupId, 0, name);
        }
        UserView peer = session.user(username);
        return new ChatTarget(ConversationIds.privateChat(session.userId(), peer.userId()),
                "with " + peer.username(),
                new MessageLines(session.userId(), session.username(), peer.userId(), peer.username(), zone),
                null, peer.userId(), peer.username());
    }

    String conversation() {
        return conversation;
    }

    /** {@code with bob}, {@code in group 7 "team"}. */
    String description() {
        return description;
    }

    MessageLines lines() {
        return lines;
    }

    CompletableFuture<SendAck> send(ImClient client, String text) {
        return groupId != null ? client.sendTextToGroup(groupId, text) : client.sendText(peerId, text);
    }

    /** A refused send as one line the user can act on. */
    String failure(ImErrorException e) {
        return groupId != null ? MessageLines.groupSendFailure(e, name) : MessageLines.sendFailure(e, name);
    }
}
