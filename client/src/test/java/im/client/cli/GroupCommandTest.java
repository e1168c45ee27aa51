package im.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import im.client.sdk.ScriptedRestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `im group ...` against a scripted user service: usernames resolved, requests made, lines printed. */
class GroupCommandTest {

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
        server.answer("GET", "/users?username=carol", 200,
                "{\"userId\":3,\"username\":\"carol\",\"displayName\":\"Carol\"}");
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
    private ScriptedRestServer.Request nextGroupRequest() throws InterruptedException {
        ScriptedRestServer.Request r;
        do {
            r = server.next();
        } while (r.target().startsWith("/users"));
        return r;
    }

    @Test
    void create_resolvesTheMembersByName_andSendsThePolicy() throws Exception {
        server.answer("POST", "/groups", 201, "{\"groupId\":7,\"conversationId\":\"g:7\",\"name\":\"team\","
                + "\"ownerId\":1,\"joinPolicy\":\"OPEN\",\"memberCount\":3,\"myRole\":\"OWNER\",\"joinedSeq\":1}");
        assertEquals(0, run("group", "create", "team", "--members", "bob,carol", "--policy", "open"), err());
        ScriptedRestServer.Request r = nextGroupRequest();
        assertEquals("Bearer", r.authorization().split(" ")[0]);
        assertEquals(JSON.readTree("{\"name\":\"team\",\"memberIds\":[2,3],\"joinPolicy\":\"OPEN\"}"),
                JSON.readTree(r.body()));
        assertEquals("created group 7 \"team\" with 3 members; talk in it: `im chat --group 7`" + NL, out());
    }

    @Test
    void add_takesUsernames_andSaysWhenNobodyWasNew() throws Exception {
        server.answer("POST", "/groups/7/members", 200, "{\"groupId\":7,\"seq\":12}");
        assertEquals(0, run("group", "add", "7", "bob", "carol"), err());
        assertEquals(JSON.readTree("{\"userIds\":[2,3]}"), JSON.readTree(nextGroupRequest().body()));
        assertEquals("added bob, carol to group 7 (seq 12)" + NL, out());

        out.reset();
        server.answer("POST", "/groups/7/members", 200, "{\"groupId\":7,\"seq\":0}");
        assertEquals(0, run("group", "add", "7", "bob"), err());
        assertEquals("bob is in group 7 already" + NL, out());
    }

    @Test
    void joinOfAnApprovalGroup_saysTheRequestWaits() throws Exception {
        server.answer("POST", "/groups/7/join", 200, "{\"groupId\":7,\"seq\":0,\"pending\":true}");
        assertEquals(0, run("group", "join", "7"), err());
        ScriptedRestServer.Request r = nextGroupRequest();
        assertEquals("POST /groups/7/join", r.method() + " " + r.target());
        assertEquals("asked to join group 7; you are in once the owner or an admin approves" + NL, out());

        out.reset();
        server.answer("POST", "/groups/7/join", 200, "{\"groupId\":7,\"seq\":15,\"pending\":false}");
        assertEquals(0, run("group", "join", "7"), err());
        assertEquals("joined group 7 (seq 15); talk in it: `im chat --group 7`" + NL, out());
    }

    @Test
    void requests_listsWhoAsks_byName_andHowToAnswer() {
        server.answer("GET", "/groups/7/requests", 200, "[{\"userId\":2,\"requestedAtMs\":1700000000000},"
                + "{\"userId\":4,\"requestedAtMs\":1700000060000}]");
        server.answer("GET", "/users/2", 200, "{\"userId\":2,\"username\":\"bob\",\"displayName\":\"Bob\"}");
        server.answer("GET", "/users/4", 404, "{\"status\":404,\"detail\":\"no user 4\",\"code\":\"UNKNOWN_USER\"}");
        assertEquals(0, run("group", "requests", "7"), err());
        assertEquals(String.join(NL, List.of(
                "bob (id 2)  asked " + GroupCommand.dateTime(1_700_000_000_000L),
                "user 4 (id 4)  asked " + GroupCommand.dateTime(1_700_000_060_000L),
                "answer with `im group approve 7 USERNAME` or `im group reject 7 USERNAME`")) + NL, out());

        out.reset();
        server.answer("GET", "/groups/7/requests", 200, "[]");
        assertEquals(0, run("group", "requests", "7"), err());
        assertEquals("nobody asks to join group 7" + NL, out());
    }

    @Test
    void requestsOfAPlainMember_isRefusedInOneLine() {
        server.answer("GET", "/groups/7/requests", 403, "{\"status\":403,"
                + "\"detail\":\"only the owner and admins see requests to join\",\"code\":\"PERMISSION_DENIED\"}");
        assertEquals(1, run("group", "requests", "7"));
        assertEquals("im: you may not see requests to join (group 7): only the owner and admins see requests to join"
                + NL, err());
    }

    @Test
    void approveAndReject_takeAUsername() throws Exception {
        server.answer("POST", "/groups/7/requests/2/approve", 200, "{\"groupId\":7,\"seq\":14,\"pending\":false}");
        assertEquals(0, run("group", "approve", "7", "bob"), err());
        ScriptedRestServer.Request r = nextGroupRequest();
        assertEquals("POST /groups/7/requests/2/approve", r.method() + " " + r.target());
        assertEquals("bob joined group 7 (seq 14)" + NL, out());

        out.reset();
        server.answer("POST", "/groups/7/requests/2/approve", 200, "{\"groupId\":7,\"seq\":0,\"pending\":false}");
        assertEquals(0, run("group", "approve", "7", "bob"), err());
        nextGroupRequest();
        assertEquals("bob has not asked to join group 7" + NL, out());

        out.reset();
        server.answer("DELETE", "/groups/7/requests/3", 200, "{\"groupId\":7,\"seq\":0,\"pending\":false}");
        assertEquals(0, run("group", "reject", "7", "carol"), err());
        r = nextGroupRequest();
        assertEquals("DELETE /groups/7/requests/3", r.method() + " " + r.target());
        assertEquals("rejected carol's request to join group 7 (if there was one)" + NL, out());
    }

    @Test
    void createWithApprovalPolicy_sendsApproval() throws Exception {
        server.answer("POST", "/groups", 201, "{\"groupId\":8,\"conversationId\":\"g:8\",\"name\":\"club\","
                + "\"ownerId\":1,\"joinPolicy\":\"APPROVAL\",\"memberCount\":1,\"myRole\":\"OWNER\",\"joinedSeq\":1}");
        assertEquals(0, run("group", "create", "club", "--policy", "approval"), err());
        assertEquals(JSON.readTree("{\"name\":\"club\",\"memberIds\":[],\"joinPolicy\":\"APPROVAL\"}"),
                JSON.readTree(nextGroupRequest().body()));
    }

    @Test
    void members_pagesThroughTheGroup_andNamesWhomItCan() {
        server.answer("GET", "/groups/7/members?after=0&limit=500", 200, "{\"members\":["
                + "{\"userId\":1,\"role\":\"OWNER\",\"muted\":false,\"joinedSeq\":1},"
                + "{\"userId\":2,\"role\":\"ADMIN\",\"muted\":true,\"joinedSeq\":1}],\"hasMore\":true}");
        server.answer("GET", "/groups/7/members?after=2&limit=500", 200, "{\"members\":["
                + "{\"userId\":3,\"role\":\"MEMBER\",\"muted\":false,\"joinedSeq\":5}],\"hasMore\":false}");
        server.answer("GET", "/users/2", 200, "{\"userId\":2,\"username\":\"bob\",\"displayName\":\"Bob\"}");
        server.answer("GET", "/users/3", 404, "{\"status\":404,\"detail\":\"no user 3\",\"code\":\"UNKNOWN_USER\"}");
        assertEquals(0, run("group", "members", "7"), err());
        assertEquals(String.join(NL, List.of("alice (id 1)  owner", "bob (id 2)  admin, muted",
                "user 3 (id 3)  member")) + NL, out());
    }

    @Test
    void muteWithoutAUser_mutesTheGroup_andOffLiftsIt() throws Exception {
        server.answer("PUT", "/groups/7/muted", 200, "{\"groupId\":7,\"seq\":0}");
        assertEquals(0, run("group", "mute", "7", "--off"), err());
        ScriptedRestServer.Request r = nextGroupRequest();
        assertEquals("PUT /groups/7/muted", r.method() + " " + r.target());
        assertEquals(JSON.readTree("{\"muted\":false}"), JSON.readTree(r.body()));
        assertEquals("group 7 is unmuted already" + NL, out());

        server.answer("PUT", "/groups/7/members/2/muted", 200, "{\"groupId\":7,\"seq\":9}");
        assertEquals(0, run("group", "mute", "7", "bob"), err());
        assertEquals(JSON.readTree("{\"muted\":true}"), JSON.readTree(nextGroupRequest().body()));
        assertTrue(out().endsWith("muted bob in group 7 (seq 9)" + NL), out());
    }

    @Test
    void refusal_isOneLineSayingWhy() {
        server.answer("DELETE", "/groups/7", 403, "{\"title\":\"Permission denied\",\"status\":403,"
                + "\"detail\":\"only the owner dissolves the group\",\"code\":\"PERMISSION_DENIED\"}");
        assertEquals(1, run("group", "dissolve", "7"));
        assertEquals("im: you may not dissolve (group 7): only the owner dissolves the group" + NL, err());
    }

    @Test
    void groupNotOfTheUsers_pointsToTheList() {
        server.answer("GET", "/groups/8", 404, "{\"status\":404,\"code\":\"UNKNOWN_GROUP\"}");
        assertEquals(1, run("group", "info", "8"));
        assertEquals("im: no group 8 of yours (see `im group list`)" + NL, err());
    }

    @Test
    void list_showsEachGroupOnOneLine() {
        server.answer("GET", "/groups", 200, "[{\"groupId\":7,\"name\":\"team\",\"memberCount\":3,\"myRole\":\"ADMIN\","
                + "\"muted\":true},{\"groupId\":9,\"name\":\"old\",\"memberCount\":1,\"myRole\":\"OWNER\","
                + "\"dissolved\":true}]");
        assertEquals(0, run("group", "list"), err());
        assertEquals("7  \"team\"  3 members, you: admin, muted" + NL
                + "9  \"old\"  1 member, you: owner, dissolved" + NL, out());
    }

    @Test
    void roleOtherThanAdminOrMember_isAUsageError() {
        assertEquals(2, run("group", "role", "7", "bob", "owner"));
        assertTrue(err().contains("ROLE must be admin or member"), err());
        assertEquals(2, run("group", "create", "team", "--policy", "anyone"));
    }

    @Test
    void chatAndHistory_needAUserOrAGroup_notBoth() {
        assertEquals(2, run("chat"));
        assertEquals(2, run("chat", "bob", "--group", "7"));
        assertEquals(2, run("history", "--group", "7", "bob"));
        assertTrue(err().contains("name a USERNAME or --group ID"), err());
    }
}
