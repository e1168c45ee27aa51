package im.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import im.client.sdk.UploadedBlob;
import im.protocol.client.Message;
import im.protocol.client.TextContent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AttachmentCommandsTest {

    @TempDir
    Path home;

    private CommandLine cli() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return ImCli.commandLine(new CliContext(home, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8), false));
    }

    @Test
    void sendTakesAFileInsteadOfText() {
        CommandLine.ParseResult parsed = cli().parseArgs("send", "--file", "cat.png", "bob");
        SendCommand send = parsed.subcommand().commandSpec().commandLine().getCommand();

        assertEquals("bob", send.username);
        assertEquals(Path.of("cat.png"), send.file);
        assertNull(send.text);
    }

    @Test
    void downloadTakesTheConversationTheBlobAndWhereToSaveIt() {
        CommandLine.ParseResult parsed = cli().parseArgs("download", "--group", "7", "abc", "-o", "out.png");
        DownloadCommand download = parsed.subcommand().commandSpec().commandLine().getCommand();

        assertEquals(7L, download.groupId);
        assertEquals("abc", download.blobId);
        assertEquals(Path.of("out.png"), download.output);
    }

    @Test
    void fileTypeComesFromItsExtension_elseOctetStream() {
        assertEquals("image/jpeg", SendCommand.typeOf(Path.of("Holiday.JPG")));
        assertEquals("application/pdf", SendCommand.typeOf(Path.of("a/report.pdf")));
        assertEquals("application/octet-stream", SendCommand.typeOf(Path.of("archive.tar.gz")));
        assertEquals("application/octet-stream", SendCommand.typeOf(Path.of("README")));
    }

    @Test
    void sentAttachmentIsDescribedByKindNameAndSize() {
        assertEquals("image cat.png (640x480)", SendCommand.describe(
                new UploadedBlob("id", "p:1:2", "cat.png", "image/png", 10, 640, 480, null)));
        assertEquals("file a.pdf (10 bytes)", SendCommand.describe(
                new UploadedBlob("id", "p:1:2", "a.pdf", "application/pdf", 10, null, null, null)));
    }

    @Test
    void historyNamesTheBlobsOfImagesAndFiles_andNothingElse() {
        UploadedBlob image = new UploadedBlob("img", "p:1:2", "cat.png", "image/png", 10, 64, 48,
                new UploadedBlob.Thumbnail("thumb", "image/jpeg", 5));
        UploadedBlob file = new UploadedBlob("doc", "p:1:2", "a.pdf", "application/pdf", 10, null, null, null);

        assertEquals("blob img, thumbnail thumb", HistoryCommand.blobIds(Message.newBuilder().setContent(image.toContent()).build()));
        assertEquals("blob doc", HistoryCommand.blobIds(Message.newBuilder().setContent(file.toContent()).build()));
        assertNull(HistoryCommand.blobIds(Message.newBuilder().setContent(im.protocol.client.Content.newBuilder()
                .setText(TextContent.newBuilder().setText("hi"))).build()));
        assertNull(HistoryCommand.blobIds(Message.newBuilder().setContent(image.toContent()).setRecalled(true).build()));
    }
}
