package im.client.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.Content;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentRestTest {

    @TempDir
    Path dir;

    private ScriptedRestServer server;
    private ImRestClient rest;

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedRestServer();
        rest = new ImRestClient(server.url(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void upload_postsTheFilesBytesWithItsTypeAndName_andAnswersTheBlob() throws Exception {
        Path file = Files.writeString(dir.resolve("notes 1.txt"), "hello");
        server.answer("POST", "/media/p%3A1%3A2?name=notes+1.txt", 201, "{\"blobId\":\"abc\",\"conversationId\":\"p:1:2\","
                + "\"name\":\"notes 1.txt\",\"mimeType\":\"text/plain\",\"size\":5,\"width\":null,\"height\":null,"
                + "\"thumbnail\":null}");

        UploadedBlob blob = rest.upload("token-1", "p:1:2", file, "text/plain");

        ScriptedRestServer.Request request = server.next();
        assertEquals("Bearer token-1", request.authorization());
        assertEquals("text/plain", request.contentType());
        assertEquals("hello", request.body());
        assertEquals(new UploadedBlob("abc", "p:1:2", "notes 1.txt", "text/plain", 5, null, null, null), blob);
        assertEquals(Content.KindCase.FILE, blob.toContent().getKindCase());
    }

    @Test
    void uploadedImage_becomesImageContentWithItsSizeAndThumbnail() {
        UploadedBlob blob = new UploadedBlob("img", "p:1:2", "cat.png", "image/png", 5000, 640, 480,
                new UploadedBlob.Thumbnail("thumb", "image/jpeg", 900));

        Content content = blob.toContent();

        assertEquals("img", content.getImage().getImage().getBlobId());
        assertEquals(640, content.getImage().getWidth());
        assertEquals("thumb", content.getImage().getThumbnail().getBlobId());
        assertEquals("image/jpeg", content.getImage().getThumbnail().getMimeType());
    }

    @Test
    void download_writesTheBlobToTheTarget() throws Exception {
        server.answer("GET", "/media/g%3A7/abc", 200, "the bytes");
        Path target = dir.resolve("saved.bin");

        DownloadedBlob saved = rest.download("token-1", "g:7", "abc", target);

        assertEquals("the bytes", Files.readString(target, StandardCharsets.UTF_8));
        assertEquals(9, saved.size());
        assertEquals(target.toAbsolutePath(), saved.file());
    }

    @Test
    void refusedDownload_throwsTheProblem_andLeavesNoFile() throws Exception {
        server.answer("GET", "/media/g%3A7/nope", 404, "{\"status\":404,\"code\":\"UNKNOWN_BLOB\",\"detail\":\"no such blob\"}");
        Path target = dir.resolve("saved.bin");

        ImApiException refused = assertThrows(ImApiException.class, () -> rest.download("token-1", "g:7", "nope", target));

        assertEquals("UNKNOWN_BLOB", refused.getCode());
        assertFalse(Files.exists(target));
        try (var files = Files.list(dir)) {
            assertTrue(files.findAny().isEmpty(), "no partial file is left behind");
        }
    }
}
