package im.client.cli;

import im.client.sdk.DownloadedBlob;
import im.client.sdk.ImApiException;
import im.protocol.client.ConversationIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "download", description = "Save an attachment of a conversation to a file: an image's, a file's or "
        + "a thumbnail's blob id, as `history --blobs` shows them.")
final class DownloadCommand implements Callable<Integer> {

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--with", paramLabel = "USERNAME", description = "The conversation with this user.")
    String username;

    @Option(names = "--group", paramLabel = "ID", description = "This group's conversation.")
    Long groupId;

    @Parameters(index = "0", paramLabel = "BLOB_ID")
    String blobId;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Where to save it (default: BLOB_ID in "
            + "the current directory); replaced if it exists.")
    Path output;

    @Override
    public Integer call() {
        ChatCommand.requireOneTarget(spec, username, groupId);
        Session session = Session.require(cli);
        String conversation = groupId != null ? ConversationIds.group(groupId)
                : ConversationIds.privateChat(session.userId(), session.user(username).userId());
        Path target = output != null ? output : Path.of(blobId);
        try {
            DownloadedBlob saved = session.withToken(token -> session.rest().download(token, conversation, blobId, target));
            cli.context().out().println("saved " + saved.file() + " (" + saved.mimeType() + ", " + saved.size() + " bytes)");
            return 0;
        } catch (ImApiException e) {
            if (e.getStatus() == 404) {
                throw new CliException("no attachment " + blobId + " in that conversation", e);
            }
            throw e;
        }
    }
}
