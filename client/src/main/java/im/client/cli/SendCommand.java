package im.client.cli;

import im.client.sdk.ClientMsgIds;
import im.client.sdk.ImApiException;
import im.client.sdk.ImClient;
import im.client.sdk.ImErrorException;
import im.client.sdk.UploadedBlob;
import im.client.sdk.UserView;
import im.protocol.client.ConversationIds;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "send", description = "Send one message to a friend, a text or a file (--file); prints its seq and msgId "
        + "once stored.")
final class SendCommand implements Callable<Integer> {

    /** Types the server takes, by file extension; anything else goes as application/octet-stream. */
    static final Map<String, String> TYPES = Map.of(
            "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp",
            "pdf", "application/pdf", "txt", "text/plain", "zip", "application/zip");

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "TEXT", description = "The message (words are joined by spaces).")
    List<String> text;

    @Option(names = "--file", paramLabel = "PATH", description = "Send this file instead of a text: uploaded, then "
            + "sent as an image (PNG, JPEG, GIF, WebP) or a file, at most 20 MiB.")
    Path file;

    @Option(names = "--type", paramLabel = "MIME", description = "The file's type (default: from its extension).")
    String type;

    @Override
    public Integer call() {
        boolean hasText = text != null && !text.isEmpty();
        if (hasText == (file != null)) {
            throw new ParameterException(spec.commandLine(), "give a TEXT or --file PATH (one of them)");
        }
        if (file != null && !Files.isRegularFile(file)) {
            throw new CliException("no such file: " + file);
        }
        String message = hasText ? MessageLines.text(String.join(" ", text)) : null;
        Session session = Session.require(cli);
        UserView peer = session.user(username);
        UploadedBlob uploaded = file == null ? null : upload(session, peer);
        try (ImClient client = session.connect(new ImClient.Listener() { })) {
            SendAck ack = Session.await(uploaded == null ? client.sendText(peer.userId(), message)
                    : client.send(Send.newBuilder().setClientMsgId(ClientMsgIds.next()).setToUserId(peer.userId())
                            .setContent(uploaded.toContent()).build()));
            String what = uploaded == null ? "" : " " + describe(uploaded);
            cli.context().out().println("sent" + what + " to " + peer.username() + ": seq " + ack.getSeq()
                    + ", msgId " + ack.getMsgId());
            return 0;
        } catch (ImErrorException e) {
            throw new CliException(MessageLines.sendFailure(e, peer.username()), e);
        }
    }

    private UploadedBlob upload(Session session, UserView peer) {
        String conversation = ConversationIds.privateChat(session.userId(), peer.userId());
        String mimeType = type != null ? type : typeOf(file);
        try {
            return session.withToken(token -> session.rest().upload(token, conversation, file, mimeType));
        } catch (ImApiException e) {
            throw new CliException("cannot upload " + file.getFileName() + ": " + uploadFailure(e), e);
        }
    }

    static String typeOf(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "application/octet-stream" : TYPES.getOrDefault(name.substring(dot + 1), "application/octet-stream");
    }

    /** {@code image cat.png (1200x800)}, {@code file report.pdf (48211 bytes)}. */
    static String describe(UploadedBlob blob) {
        String name = MessageLines.printable(blob.name() == null ? blob.blobId() : blob.name());
        if (blob.isImage() && blob.width() != null) {
            return "image " + name + " (" + blob.width() + "x" + blob.height() + ")";
        }
        return (blob.isImage() ? "image " : "file ") + name + " (" + blob.size() + " bytes)";
    }

    static String uploadFailure(ImApiException e) {
        if (e.getCode() == null) {
            return e.getMessage();
        }
        return switch (e.getCode()) {
            case "TOO_LARGE", "UNSUPPORTED_TYPE", "IMAGE_TOO_LARGE", "INVALID_IMAGE" -> e.getDetail();
            default -> e.getMessage();
        };
    }
}
