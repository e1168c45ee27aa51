package im.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.client.cli.CliContext;
import im.client.cli.ImCli;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `im login --gitee` (the CLI and its SDK, as a user runs them) against this app and a local
 * stand-in of Gitee; the test plays the browser, opening the URL the CLI printed.
 */
@QuarkusTest
class GiteeLoginCliTest {

    private static final Pattern AUTHORIZE_URL = Pattern.compile("(http://127\\.0\\.0\\.1:18093/oauth/authorize\\?\\S+)");
    private static MockGitee gitee;

    @TempDir
    Path home;

    @BeforeAll
    static void startGitee() throws Exception {
        gitee = MockGitee.start(18093);
    }

    @AfterAll
    static void stopGitee() {
        gitee.close();
    }

    @Test
    void imLoginGitee_printsAUrl_andLogsInOnceTheBrowserHasAllowedAccess() throws Exception {
        long id = System.nanoTime() % 1_000_000_000L;
        MockGitee.User user = new MockGitee.User(id, "cli-" + Long.toString(id, 36), "Cli User", "cli@example.com",
                true);
        gitee.nextGrants(user);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext context = new CliContext(home, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        ExecutorService terminal = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = terminal.submit(
                    () -> ImCli.run(context, "--server", "http://localhost:18083", "login", "--gitee"));

            String url = await().atMost(Duration.ofSeconds(30))
                    .until(() -> printedUrl(out), Objects::nonNull);
            given().redirects().follow(true).urlEncodingEnabled(false).get(url).then().statusCode(200);

            assertEquals(0, exit.get(30, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("logged in as " + user.login()),
                    out.toString(StandardCharsets.UTF_8));
            String profile = Files.readString(home.resolve("default.json"));
            assertTrue(profile.contains(user.login()), profile);
            for (String giteeToken : gitee.issuedTokens) {
                assertFalse(profile.contains(giteeToken), "the profile keeps Gitee's token");
            }
        } finally {
            terminal.shutdownNow();
        }
    }

    private static String printedUrl(ByteArrayOutputStream out) {
        Matcher url = AUTHORIZE_URL.matcher(out.toString(StandardCharsets.UTF_8));
        return url.find() ? url.group(1) : null;
    }
}
