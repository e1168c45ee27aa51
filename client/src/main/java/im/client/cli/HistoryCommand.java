package im.client.cli;

import im.client.sdk.ImClient;
import im.client.sdk.ImErrorException;
import im.protocol.client.ErrorCode;
import im.protocol.client.Message;
import im.protocol.client.SyncPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "history", description = "Print the conversation with a user, or a group's with --group "
        + "(the last --limit messages).")
final class HistoryCommand implements Callable<Integer> {

    /** More than a screen is a pager's job; this bounds the download too. */
    static final int MAX_LIMIT = 10_000;

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "USERNAME")
    String username;

    @Option(names = "--group", paramLabel = "ID", description = "Print this group's conversation instead.")
    Long groupId;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Print at most the last N messages (1.." + MAX_LIMIT + ", default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--seqs", description = "Start each line with the message's seq (what `message` commands take).")
    boolean seqs;

    @Option(names = "--blobs", description = "Follow an image's or a file's line with its blob ids (what `download` takes).")
    boolean blobs;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new CliException("--limit must be 1.." + MAX_LIMIT);
        }
        ChatCommand.requireOneTarget(spec, username, groupId);
        Session session = Session.require(cli);
        ChatTarget target = ChatTarget.of(session, username, groupId, ZoneId.systemDefault());
        try (ImClient client = session.connect(new ImClient.Listener() { })) {
            List<Message> messages = lastMessages(client, target.conversation(), limit);
            if (messages.isEmpty()) {
                cli.context().out().println("no messages " + target.description() + " yet");
            }
            messages.forEach(m -> {
                cli.context().out().println((seqs ? "#" + m.getSeq() + " " : "") + target.lines().format(m));
                String ids = blobs ? blobIds(m) : null;
                if (ids != null) {
                    cli.context().out().println("    " + ids);
                }
            });
            return 0;
        }
    }

    /** {@code blob ID} or {@code blob ID, thumbnail ID} for a message with an attachment; null otherwise. */
    static String blobIds(Message m) {
        if (m.getRecalled() || m.getHidden() || !m.hasContent()) {
            return null;
        }
        return switch (m.getContent().getKindCase()) {
            case IMAGE -> "blob " + m.getContent().getImage().getImage().getBlobId()
                    + (m.getContent().getImage().hasThumbnail()
                            ? ", thumbnail " + m.getContent().getImage().getThumbnail().getBlobId() : "");
            case FILE -> "blob " + m.getContent().getFile().getFile().getBlobId();
            default -> null;
        };
    }

    /**
     * The last {@code limit} messages in seq order: one small page from seq 0 tells the
     * conversation's last seq, then pages from {@code lastSeq - limit}.
     */
    static List<Message> lastMessages(ImClient client, String conversation, int limit) {
        List<Message> out = new ArrayList<>();
        SyncPage page;
        try {
            page = Session.await(client.sync(conversation, 0, Math.min(limit, ImClient.MAX_SYNC_PAGE)));
        } catch (ImErrorException e) {
            if (e.getCode() == ErrorCode.UNKNOWN_CONVERSATION) {
                return out;
            }
            throw e;
        }
        long lastSeq = page.getLastSeq();
        long after = Math.max(0, lastSeq - limit);
        if (after > 0) {
            page = Session.await(client.sync(conversation, after, ImClient.MAX_SYNC_PAGE));
        }
        while (true) {
            for (Message m : page.getMessagesList()) {
                if (m.getSeq() > after && out.size() < limit) {
                    out.add(m);
                }
            }
            if (!page.getHasMore() || page.getMessagesCount() == 0 || out.size() >= limit) {
                return out;
            }
            long next = page.getMessages(page.getMessagesCount() - 1).getSeq();
            page = Session.await(client.sync(conversation, next, ImClient.MAX_SYNC_PAGE));
        }
    }
}
