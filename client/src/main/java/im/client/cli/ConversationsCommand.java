package im.client.cli;

import im.client.sdk.ImClient;
import im.protocol.client.ConversationIds;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSummary;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "conversations", description = "List your conversations: pinned first, then the newest, with "
        + "unread counts and each one's last message.")
final class ConversationsCommand implements Callable<Integer> {

    static final int MAX_LIMIT = 1_000;

    @ParentCommand
    ImCli cli;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "List at most N conversations (1.." + MAX_LIMIT + ", default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new CliException("--limit must be 1.." + MAX_LIMIT);
        }
        Session session = Session.require(cli);
        UserNames names = UserNames.of(session, ChatTarget.MAX_NAME_LOOKUPS);
        MessageLines lines = new MessageLines(names::nameOf, ZoneId.systemDefault());
        try (ImClient client = session.connect(new ImClient.Listener() { })) {
            List<ConversationSummary> listed = firstOf(client, limit);
            if (listed.isEmpty()) {
                cli.context().out().println("no conversations yet");
            }
            for (ConversationSummary summary : listed) {
                cli.context().out().println(line(summary, session.userId(), names, lines));
            }
            return 0;
        }
    }

    /** The first {@code limit} conversations of the list, page after page. */
    private static List<ConversationSummary> firstOf(ImClient client, int limit) {
        List<ConversationSummary> listed = new ArrayList<>();
        String token = "";
        do {
            int want = Math.min(ImClient.MAX_CONVERSATION_PAGE, limit - listed.size());
            ConversationPage page = Session.await(client.conversations(token, want));
            listed.addAll(page.getConversationsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty() && listed.size() < limit);
        return listed;
    }

    /** {@code bob  3 unread  pinned  notifications off  |  [12:03] bob: hi}. */
    static String line(ConversationSummary summary, long me, UserNames names, MessageLines lines) {
        StringBuilder line = new StringBuilder(titleOf(summary.getConversationId(), me, names));
        if (summary.getUnread() > 0) {
            line.append("  ").append(summary.getUnread()).append(" unread");
        }
        if (summary.getPinned()) {
            line.append("  pinned");
        }
        if (summary.getNotificationsOff()) {
            line.append("  notifications off");
        }
        if (summary.hasLastMessage()) {
            line.append("  |  ").append(lines.format(summary.getLastMessage()));
        }
        return line.toString();
    }

    private static String titleOf(String conversationId, long me, UserNames names) {
        if (ConversationIds.isPrivate(conversationId)) {
            long[] members = ConversationIds.privateMembers(conversationId);
            return names.nameOf(members[0] == me ? members[1] : members[0]);
        }
        return "group " + conversationId.substring(conversationId.indexOf(':') + 1);
    }
}
