package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.StandaloneProcess;
import im.client.cli.CliContext;
import im.client.cli.ImCli;
import im.client.sdk.Avatar;
import im.client.sdk.ClientMsgIds;
import im.client.sdk.DownloadedBlob;
import im.client.sdk.ImApiException;
import im.client.sdk.UploadedBlob;
import im.client.sdk.UserView;
import im.protocol.client.ConversationIds;
import im.protocol.client.ImageContent;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Attachments through the real SDK, CLI and standalone process: an image is uploaded to the
 * router's media API, named by a message, received by the other member's device and downloaded
 * with its thumbnail; a user outside the conversation is told nothing exists. An avatar is
 * uploaded the same way into its owner's space and read by anyone signed in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttachmentEndToEndTest {

    private static final Duration LIVE = Duration.ofSeconds(20);

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("attachments").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void imageSentByAliceIsReceivedAndDownloadedByBobWithItsThumbnail_andCarolIsRefusedIt() throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Account carol = Accounts.signUp(server.rest(), "carol");
        Accounts.befriend(server.rest(), alice, bob);
        String chat = ConversationIds.privateChat(alice.userId(), bob.userId());
        Path dir = Files.createTempDirectory("im-attachments");
        byte[] png = picture(1024, 768);
        Path file = Files.write(dir.resolve("beach day.png"), png);

        UploadedBlob uploaded = server.rest().upload(alice.accessToken(), chat, file, "image/png");
        assertEquals("beach day.png", uploaded.name(), "a name travels as the sender had it");
        assertEquals(1024, uploaded.width());
        assertEquals(768, uploaded.height());
        assertNotNull(uploaded.thumbnail());

        try (Device alicePhone = Devices.connect(server.tcp(), alice.accessToken(), "phone");
                Device bobPhone = Devices.connect(server.webSocket(), bob.accessToken(), "phone")) {
            alicePhone.client.send(Send.newBuilder().setClientMsgId(ClientMsgIds.next()).setToUserId(bob.userId())
                    .setContent(uploaded.toContent()).build()).get(20, TimeUnit.SECONDS);

            Message received = await().atMost(LIVE).until(
                    () -> bobPhone.shown.stream().filter(m -> m.getContent().hasImage()).findFirst().orElse(null),
                    message -> message != null);
            ImageContent image = received.getContent().getImage();
            assertEquals(uploaded.blobId(), image.getImage().getBlobId());
            assertEquals(1024, image.getWidth());

            DownloadedBlob original = server.rest().download(bob.accessToken(), chat, image.getImage().getBlobId(),
                    dir.resolve("original.png"));
            assertEquals("image/png", original.mimeType());
            assertArrayEquals(png, Files.readAllBytes(original.file()));
            DownloadedBlob thumbnail = server.rest().download(bob.accessToken(), chat, image.getThumbnail().getBlobId(),
                    dir.resolve("thumbnail.jpg"));
            BufferedImage small = ImageIO.read(thumbnail.file().toFile());
            assertEquals(320, small.getWidth());
            assertEquals(240, small.getHeight());
        }

        ImApiException refused = assertThrows(ImApiException.class, () -> server.rest().download(carol.accessToken(), chat,
                uploaded.blobId(), dir.resolve("stolen.png")));
        assertEquals(404, refused.getStatus());
        assertEquals("UNKNOWN_BLOB", refused.getCode());
        assertTrue(blobFilesUnder(server.dataDir().resolve("media")) >= 2, "the blobs are in the data directory");
    }

    @Test
    void theCliSendsAFileAndTheOtherMemberDownloadsItByTheIdHistoryShows() throws Exception {
        Account erin = Accounts.signUp(server.rest(), "erin");
        Account frank = Accounts.signUp(server.rest(), "frank");
        Accounts.befriend(server.rest(), erin, frank);
        Path dir = Files.createTempDirectory("im-cli-attachments");
        Path report = Files.writeString(dir.resolve("report.txt"), "quarterly numbers\n");
        Path erinHome = Files.createDirectories(dir.resolve("erin"));
        Path frankHome = Files.createDirectories(dir.resolve("frank"));
        login(erinHome, erin);
        login(frankHome, frank);

        String sent = cli(erinHome, "send", "--file", report.toString(), frank.username());
        assertTrue(sent.startsWith("sent file report.txt (18 bytes) to " + frank.username()), sent);

        String history = cli(frankHome, "history", erin.username(), "--blobs");
        assertTrue(history.contains("[file report.txt, 18 bytes]"), history);
        Matcher blob = Pattern.compile("blob ([A-Za-z0-9_-]+)").matcher(history);
        assertTrue(blob.find(), history);
        Path saved = dir.resolve("saved.txt");
        String download = cli(frankHome, "download", "--with", erin.username(), blob.group(1), "-o", saved.toString());
        assertTrue(download.startsWith("saved "), download);
        assertEquals("quarterly numbers\n", Files.readString(saved));
    }

    @Test
    void avatarGinaSetsIsSeenAndDownloadedByAStrangerWithItsThumbnail_untilSheRemovesIt() throws Exception {
        Account gina = Accounts.signUp(server.rest(), "gina");
        Account hank = Accounts.signUp(server.rest(), "hank");
        Path dir = Files.createTempDirectory("im-avatars");
        byte[] png = picture(640, 480);

        Avatar avatar = server.rest().setAvatar(gina.accessToken(), Files.write(dir.resolve("gina.png"), png), "image/png");
        assertEquals(640, avatar.width());
        UserView seen = server.rest().userByName(hank.accessToken(), gina.username());
        assertEquals(avatar.blobId(), seen.avatarBlobId());
        assertEquals(avatar.thumbnailBlobId(), seen.avatarThumbnailBlobId());

        DownloadedBlob original = server.rest().downloadAvatar(hank.accessToken(), gina.userId(), seen.avatarBlobId(),
                dir.resolve("seen.png"));
        assertEquals("image/png", original.mimeType());
        assertArrayEquals(png, Files.readAllBytes(original.file()));
        BufferedImage small = ImageIO.read(server.rest().downloadAvatar(hank.accessToken(), gina.userId(),
                seen.avatarThumbnailBlobId(), dir.resolve("seen-small.jpg")).file().toFile());
        assertEquals(320, small.getWidth());
        assertEquals(240, small.getHeight());
        ImApiException elsewhere = assertThrows(ImApiException.class, () -> server.rest().downloadAvatar(
                hank.accessToken(), hank.userId(), seen.avatarBlobId(), dir.resolve("elsewhere.png")));
        assertEquals("UNKNOWN_BLOB", elsewhere.getCode(), "an avatar is read through its owner's space only");
        ImApiException notAnImage = assertThrows(ImApiException.class, () -> server.rest().setAvatar(gina.accessToken(),
                Files.writeString(dir.resolve("gina.txt"), "not me"), "text/plain"));
        assertEquals(415, notAnImage.getStatus());

        assertNull(server.rest().removeAvatar(gina.accessToken()).avatarBlobId());
        assertNull(server.rest().userByName(hank.accessToken(), gina.username()).avatarBlobId());
    }

    @Test
    void theCliSetsAnAvatarAndAnotherUserSavesItAndItsThumbnail() throws Exception {
        Account ivy = Accounts.signUp(server.rest(), "ivy");
        Account jack = Accounts.signUp(server.rest(), "jack");
        Path dir = Files.createTempDirectory("im-cli-avatars");
        byte[] png = picture(500, 500);
        Path image = Files.write(dir.resolve("ivy.png"), png);
        Path ivyHome = Files.createDirectories(dir.resolve("ivy"));
        Path jackHome = Files.createDirectories(dir.resolve("jack"));
        login(ivyHome, ivy);
        login(jackHome, jack);

        assertEquals("avatar is now ivy.png (500x500)", cli(ivyHome, "profile", "set-avatar", image.toString()).strip());
        Path saved = dir.resolve("saved.png");
        cli(jackHome, "profile", "avatar", ivy.username(), "-o", saved.toString());
        assertArrayEquals(png, Files.readAllBytes(saved));
        Path thumbnail = dir.resolve("saved-small.jpg");
        cli(jackHome, "profile", "avatar", ivy.username(), "--thumbnail", "-o", thumbnail.toString());
        assertEquals(320, ImageIO.read(thumbnail.toFile()).getWidth());
    }

    private void login(Path home, Account account) {
        cli(home, "--server", server.http().toString(), "--push", server.tcp().toString(),
                "login", account.username(), "--password", Accounts.PASSWORD);
    }

    /** What a CLI run printed; a run that failed fails the test with what it said. */
    private static String cli(Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImCli.run(new CliContext(home, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false), args);
        assertEquals(0, code, () -> "im " + String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] picture(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setColor(Color.CYAN);
            graphics.fillRect(0, 0, width, height);
            graphics.setColor(Color.YELLOW);
            graphics.fillOval(width / 3, height / 3, width / 3, height / 3);
        } finally {
            graphics.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private static long blobFilesUnder(Path media) throws IOException {
        try (Stream<Path> files = Files.walk(media)) {
            return files.filter(Files::isRegularFile).filter(path -> !path.toString().endsWith(".type")).count();
        }
    }
}
