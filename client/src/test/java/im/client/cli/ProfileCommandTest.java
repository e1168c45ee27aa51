package im.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import im.client.sdk.ScriptedRestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `im profile ...` and `im whoami` against a scripted user service. */
class ProfileCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NL = System.lineSeparator();

    @TempDir
    Path home;

    private ScriptedRestServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void logIn() throws Exception {
        server = new ScriptedRestServer();
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"1\",\"exp\":" + Instant.now().plusSeconds(3600).getEpochSecond() + "}")
                        .getBytes(StandardCharsets.UTF_8));
        new ProfileStore(home).save("default", new Profile(server.url().toString(), null, "tcp://127.0.0.1:1",
                1L, "alice", "cli-0123456789ab", "h." + payload + ".s", "refresh-1"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        CliContext context = new CliContext(home, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        return ImCli.run(context, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void setName_putsTheName_andSaysWhatTheServerStored() throws Exception {
        server.answer("PUT", "/users/me/profile", 200,
                "{\"userId\":1,\"username\":\"alice\",\"displayName\":\"New Name\"}");

        assertEquals(0, run("profile", "set-name", "  New Name "), err());

        ScriptedRestServer.Request r = server.next();
        assertEquals("PUT /users/me/profile", r.method() + " " + r.target());
        assertEquals(JSON.readTree("{\"displayName\":\"  New Name \"}"), JSON.readTree(r.body()));
        assertEquals("display name is now \"New Name\"" + NL, out());
    }

    @Test
    void setName_refused_saysWhyInOneLine() {
        server.answer("PUT", "/users/me/profile", 400, "{\"status\":400,"
                + "\"detail\":\"displayName may have at most 64 characters\",\"code\":\"INVALID_ARGUMENT\"}");

        assertEquals(1, run("profile", "set-name", "x".repeat(65)));
        assertEquals("im: cannot set that name: displayName may have at most 64 characters" + NL, err());
    }

    @Test
    void profileWithoutASubcommand_isBadUsage() {
        assertEquals(2, run("profile"));
        assertTrue(err().contains("say set-name"), err());
    }

    @Test
    void setAvatar_putsTheImageWithItsType_andSaysItsSize() throws Exception {
        Path image = Files.write(home.resolve("me.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        server.answer("PUT", "/media/avatar", 200, "{\"userId\":1,\"space\":\"u:1\",\"blobId\":\"b1\","
                + "\"thumbnailBlobId\":null,\"mimeType\":\"image/png\",\"size\":4,\"width\":64,\"height\":48}");

        assertEquals(0, run("profile", "set-avatar", image.toString()), err());

        ScriptedRestServer.Request r = server.next();
        assertEquals("PUT /media/avatar image/png", r.method() + " " + r.target() + " " + r.contentType());
        assertEquals("avatar is now me.png (64x48)" + NL, out());
    }

    @Test
    void setAvatar_refused_saysWhyInOneLine_andAMissingFileIsNotSent() throws Exception {
        Path text = Files.writeString(home.resolve("notes.txt"), "hello");
        server.answer("PUT", "/media/avatar", 415, "{\"status\":415,"
                + "\"detail\":\"an avatar is a PNG, JPEG or GIF image\",\"code\":\"UNSUPPORTED_TYPE\"}");

        assertEquals(1, run("profile", "set-avatar", text.toString()));
        assertEquals("im: cannot make notes.txt your avatar: an avatar is a PNG, JPEG or GIF image" + NL, err());
        assertEquals(1, run("profile", "set-avatar", home.resolve("missing.png").toString()));
        assertTrue(err().endsWith("im: no such file: " + home.resolve("missing.png") + NL), err());
    }

    @Test
    void avatarOfAUserWithoutOne_saysSo() {
        server.answer("GET", "/users?username=bob", 200, "{\"userId\":2,\"username\":\"bob\",\"displayName\":\"Bob\"}");

        assertEquals(1, run("profile", "avatar", "bob"));
        assertEquals("im: bob has no avatar" + NL, err());
    }

    @Test
    void whoami_showsTheDisplayName() {
        server.answer("GET", "/users/me", 200, "{\"userId\":1,\"username\":\"alice\",\"displayName\":\"New Name\"}");

        assertEquals(0, run("whoami"), err());
        assertTrue(out().startsWith("alice (id 1, New Name) on " + server.url()), out());
    }
}
