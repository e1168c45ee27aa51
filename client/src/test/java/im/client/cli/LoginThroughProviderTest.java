package im.client.cli;

import im.client.sdk.ScriptedRestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `im login --gitee` against a scripted auth: the URL printed, the poll, a link, a refusal. */
class LoginThroughProviderTest {

    private static final String STARTED = "{\"authorizeUrl\":\"https://gitee.com/oauth/authorize?client_id=c&state=s\","
            + "\"loginId\":\"login-id-1\",\"expiresIn\":600}";
    private static final String TOKENS = "{\"userId\":42,\"username\":\"alice\",\"accessToken\":\"acc\","
            + "\"refreshToken\":\"ref\",\"tokenType\":\"Bearer\",\"expiresIn\":900}";

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CliContext context(String stdin) {
        return new CliContext(home, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
    }

    @Test
    void giteeLogin_printsTheUrlForTheBrowser_andKeepsTheServersOwnTokens() throws Exception {
        try (ScriptedRestServer server = new ScriptedRestServer()) {
            server.answer("POST", "/auth/oidc/gitee/start", 200, STARTED);
            server.answer("POST", "/auth/oidc/poll", 200, TOKENS);

            assertEquals(0, ImCli.run(context(""), "--server", server.url().toString(), "login", "--gitee"),
                    err.toString(StandardCharsets.UTF_8));

            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("https://gitee.com/oauth/authorize?client_id=c&state=s"), printed);
            assertTrue(printed.contains("logged in as alice (id 42)"), printed);
            assertEquals("/auth/oidc/gitee/start", server.next().target());
            assertEquals("{\"loginId\":\"login-id-1\"}", server.next().body());
            Profile saved = new ProfileStore(home).load("default").orElseThrow();
            assertTrue(saved.loggedIn());
            assertEquals("alice", saved.username());
        }
    }

    @Test
    void giteeLoginOfATakenName_asksForThatAccountsPassword_andLinks() throws Exception {
        try (ScriptedRestServer server = new ScriptedRestServer()) {
            server.answer("POST", "/auth/oidc/gitee/start", 200, STARTED);
            server.answer("POST", "/auth/oidc/poll", 202, "{\"status\":\"LINK_REQUIRED\",\"username\":\"alice\"}");
            server.answer("POST", "/auth/oidc/link", 200, TOKENS);

            assertEquals(0, ImCli.run(context("password1\n"), "--server", server.url().toString(), "login", "--gitee"),
                    err.toString(StandardCharsets.UTF_8));

            server.next();
            server.next();
            ScriptedRestServer.Request link = server.next();
            assertEquals("/auth/oidc/link", link.target());
            assertEquals("{\"loginId\":\"login-id-1\",\"username\":\"alice\",\"password\":\"password1\"}", link.body());
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("An account named alice exists"));
        }
    }

    @Test
    void consentRefusedAtGitee_isOneClearLine() throws Exception {
        try (ScriptedRestServer server = new ScriptedRestServer()) {
            server.answer("POST", "/auth/oidc/gitee/start", 200, STARTED);
            server.answer("POST", "/auth/oidc/poll", 403,
                    "{\"status\":403,\"detail\":\"consent was refused\",\"code\":\"OIDC_DENIED\"}");

            assertEquals(1, ImCli.run(context(""), "--server", server.url().toString(), "login", "--gitee"));
            assertEquals("im: access was refused at gitee" + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void usernameAndGiteeTogether_areRefused() {
        assertEquals(1, ImCli.run(context(""), "--server", "http://127.0.0.1:1", "login", "alice", "--gitee"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not both"));
    }
}
