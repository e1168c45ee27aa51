package im.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import im.client.sdk.ScriptedRestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `im friend ...` against a scripted user service: usernames resolved, requests made, lines printed. */
class FriendCommandTest {

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
        server.answer("GET", "/users?username=bob", 200, "{\"userId\":2,\"username\":\"bob\",\"displayName\":\"Bob\"}");
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

    /** The next request that is not a username lookup. */
    private ScriptedRestServer.Request nextFriendRequest() throws InterruptedException {
        ScriptedRestServer.Request r;
        do {
            r = server.next();
        } while (r.target().startsWith("/users?username="));
        return r;
    }

    @Test
    void reject_turnsDownTheRequest_andAnAcceptedOneSaysWhatToDoInstead() throws Exception {
        server.answer("POST", "/friends/requests/9/reject", 200,
                "{\"requestId\":9,\"fromUserId\":2,\"toUserId\":1,\"status\":\"REJECTED\"}");
        assertEquals(0, run("friend", "reject", "9"), err());
        assertEquals("POST /friends/requests/9/reject", line(nextFriendRequest()));
        assertEquals("rejected friend request 9" + NL, out());

        server.answer("POST", "/friends/requests/9/reject", 409,
                "{\"status\":409,\"detail\":\"accepted\",\"code\":\"ALREADY_FRIENDS\"}");
        assertEquals(1, run("friend", "reject", "9"));
        assertEquals("im: friend request 9 was accepted: `im friend remove USERNAME` instead" + NL, err());
    }

    @Test
    void removeBlockAndUnblock_takeAUsername() throws Exception {
        server.answer("DELETE", "/friends/2", 204, "");
        assertEquals(0, run("friend", "remove", "bob"), err());
        assertEquals("DELETE /friends/2", line(nextFriendRequest()));

        server.answer("PUT", "/friends/blocks/2", 200,
                "{\"userId\":2,\"username\":\"bob\",\"displayName\":\"Bob\",\"blockedAtMs\":1700000000000}");
        assertEquals(0, run("friend", "block", "bob"), err());
        assertEquals("PUT /friends/blocks/2", line(nextFriendRequest()));

        server.answer("DELETE", "/friends/blocks/2", 204, "");
        assertEquals(0, run("friend", "unblock", "bob"), err());
        assertEquals("DELETE /friends/blocks/2", line(nextFriendRequest()));
        assertEquals(String.join(NL, List.of("you and bob are not friends (any more)",
                "blocked bob; undo with `im friend unblock bob`", "bob is not blocked")) + NL, out());
    }

    @Test
    void blocks_listsWhomAndSinceWhen() {
        server.answer("GET", "/friends/blocks", 200,
                "[{\"userId\":2,\"username\":\"bob\",\"displayName\":\"Bob\",\"blockedAtMs\":1700000000000}]");
        assertEquals(0, run("friend", "blocks"), err());
        assertEquals("bob  Bob (id 2)  blocked " + GroupCommand.dateTime(1_700_000_000_000L) + NL, out());

        out.reset();
        server.answer("GET", "/friends/blocks", 200, "[]");
        assertEquals(0, run("friend", "blocks"), err());
        assertEquals("you blocked nobody" + NL, out());
    }

    @Test
    void remark_setsOrClears_andTheFriendListShowsIt() throws Exception {
        server.answer("PUT", "/friends/2/remark", 200,
                "{\"userId\":2,\"username\":\"bob\",\"displayName\":\"Bob\",\"remark\":\"Bobby\"}");
        assertEquals(0, run("friend", "remark", "bob", "Bobby"), err());
        ScriptedRestServer.Request r = nextFriendRequest();
        assertEquals("PUT /friends/2/remark", line(r));
        assertEquals(JSON.readTree("{\"remark\":\"Bobby\"}"), JSON.readTree(r.body()));

        assertEquals(0, run("friend", "remark", "bob"), err());
        assertEquals(JSON.readTree("{\"remark\":null}"), JSON.readTree(nextFriendRequest().body()));

        server.answer("GET", "/friends", 200,
                "[{\"userId\":2,\"username\":\"bob\",\"displayName\":\"Bob\",\"remark\":\"Bobby\"},"
                        + "{\"userId\":3,\"username\":\"carol\",\"displayName\":\"Carol\",\"remark\":null}]");
        assertEquals(0, run("friends"), err());
        assertEquals(String.join(NL, List.of("you see bob as \"Bobby\"", "cleared your remark for bob",
                "bob  Bob (id 2)  \"Bobby\"", "carol  Carol (id 3)")) + NL, out());
    }

    @Test
    void remarkForAStranger_saysSo() {
        server.answer("PUT", "/friends/2/remark", 404, "{\"status\":404,\"detail\":\"no\",\"code\":\"NOT_FRIENDS\"}");
        assertEquals(1, run("friend", "remark", "bob", "Bobby"));
        assertEquals("im: bob is not your friend" + NL, err());
    }

    @Test
    void search_sendsThePrefixAndLimit_andListsWhoIsFound() throws Exception {
        server.answer("GET", "/users/search?prefix=bo&limit=5", 200,
                "[{\"userId\":2,\"username\":\"bob\",\"displayName\":\"Bob\"},"
                        + "{\"userId\":5,\"username\":\"bobby\",\"displayName\":\"Bobby\"}]");
        assertEquals(0, run("friend", "search", "bo", "--limit", "5"), err());
        assertEquals("GET /users/search?prefix=bo&limit=5", line(nextFriendRequest()));
        assertEquals("bob  Bob (id 2)" + NL + "bobby  Bobby (id 5)" + NL, out());

        server.answer("GET", "/users/search?prefix=b&limit=20", 400,
                "{\"status\":400,\"detail\":\"prefix must be 2..32 of [a-z0-9_.-]\",\"code\":\"INVALID_ARGUMENT\"}");
        assertEquals(1, run("friend", "search", "b"));
        assertEquals("im: cannot search for \"b\": prefix must be 2..32 of [a-z0-9_.-]" + NL, err());
    }

    @Test
    void addOfSomeoneWhoTakesNoRequests_saysSoInOneLine() {
        server.answer("POST", "/friends/requests", 403, "{\"status\":403,"
                + "\"detail\":\"user 2 does not accept friend requests\",\"code\":\"FRIEND_REQUESTS_REFUSED\"}");
        assertEquals(1, run("friend", "add", "bob"));
        assertEquals("im: cannot befriend bob: user 2 does not accept friend requests" + NL, err());
    }

    @Test
    void acceptRequests_showsOrSetsTheSetting() throws Exception {
        server.answer("PUT", "/friends/settings", 200, "{\"acceptFriendRequests\":false}");
        assertEquals(0, run("friend", "accept-requests", "off"), err());
        ScriptedRestServer.Request r = nextFriendRequest();
        assertEquals(JSON.readTree("{\"acceptFriendRequests\":false}"), JSON.readTree(r.body()));

        server.answer("GET", "/friends/settings", 200, "{\"acceptFriendRequests\":true}");
        assertEquals(0, run("friend", "accept-requests"), err());
        assertEquals("you refuse new friend requests" + NL + "you take friend requests" + NL, out());
        assertEquals(1, run("friend", "accept-requests", "maybe"));
    }

    @Test
    void showPresence_setsOnlyThatSetting() throws Exception {
        server.answer("PUT", "/friends/settings", 200, "{\"acceptFriendRequests\":true,\"showPresence\":false}");
        assertEquals(0, run("friend", "show-presence", "off"), err());
        assertEquals(JSON.readTree("{\"showPresence\":false}"), JSON.readTree(nextFriendRequest().body()));
        assertEquals("nobody sees when you are online" + NL, out());
    }

    private static String line(ScriptedRestServer.Request r) {
        return r.method() + " " + r.target();
    }
}
