package im.client.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImRestClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "acc-1";
    private static final String GROUP_JSON = "{\"groupId\":7,\"conversationId\":\"g:7\",\"name\":\"team\","
            + "\"ownerId\":1,\"joinPolicy\":\"MEMBERS_INVITE\",\"muted\":false,\"dissolved\":false,\"memberCount\":3,"
            + "\"createdAtMs\":1700000000000,\"myRole\":\"OWNER\",\"joinedSeq\":1}";

    private ScriptedRestServer server;
    private ImRestClient rest;

    @BeforeEach
    void startServer() throws Exception {
        server = new ScriptedRestServer();
        rest = new ImRestClient(server.url(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static void assertJson(String expected, String actual) throws Exception {
        assertEquals(JSON.readTree(expected), JSON.readTree(actual), actual);
    }

    @Test
    void problemBodyBecomesStatusCodeAndDetail() {
        byte[] body = "{\"type\":\"about:blank\",\"title\":\"Unknown user\",\"status\":404,\"detail\":\"no user bob\",\"code\":\"UNKNOWN_USER\"}"
                .getBytes(StandardCharsets.UTF_8);
        ImApiException e = ImRestClient.problem(404, body);
        assertEquals(404, e.getStatus());
        assertEquals("UNKNOWN_USER", e.getCode());
        assertEquals("no user bob", e.getDetail());
    }

    @Test
    void tooManyAttempts_carriesTheSecondsOfRetryAfter() {
        server.answer("POST", "/auth/login", 429, "{\"type\":\"about:blank\",\"title\":\"Too many attempts\","
                + "\"status\":429,\"detail\":\"too many failed logins of this account; try again in 42 s\","
                + "\"code\":\"RATE_LIMITED\"}", Map.of("Retry-After", "42"));

        ImApiException e = assertThrows(ImApiException.class, () -> rest.login("alice", "wrong password"));

        assertEquals(429, e.getStatus());
        assertEquals("RATE_LIMITED", e.getCode());
        assertEquals(42, e.getRetryAfterSeconds().orElseThrow());
    }

    @Test
    void retryAfterReadsSecondsOrADate_andIsAbsentOtherwise() {
        assertEquals(-1, ImRestClient.retryAfterSeconds(null));
        assertEquals(-1, ImRestClient.retryAfterSeconds("soon"));
        assertEquals(7, ImRestClient.retryAfterSeconds(" 7 "));
        assertEquals(0, ImRestClient.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT"), "a date gone by");
        assertTrue(ImRestClient.problem(503, "{}".getBytes(StandardCharsets.UTF_8)).getRetryAfterSeconds().isEmpty());
    }

    @Test
    void bodyThatIsNotProblemJsonStillGivesTheStatus() {
        ImApiException e = ImRestClient.problem(502, "Bad Gateway".getBytes(StandardCharsets.UTF_8));
        assertEquals(502, e.getStatus());
        assertNull(e.getCode());
        assertEquals("Bad Gateway", e.getDetail());
    }

    @Test
    void updateDisplayName_putsTheNameToTheCallersProfile_andDecodesTheUser() throws Exception {
        server.answer("PUT", "/users/me/profile", 200,
                "{\"userId\":1,\"username\":\"alice\",\"displayName\":\"Alice Liddell\"}");

        UserView me = rest.updateDisplayName(TOKEN, "Alice Liddell");

        ScriptedRestServer.Request r = server.next();
        assertEquals("PUT /users/me/profile", r.method() + " " + r.target());
        assertEquals("Bearer " + TOKEN, r.authorization());
        assertEquals("application/json", r.contentType());
        assertJson("{\"displayName\":\"Alice Liddell\"}", r.body());
        assertEquals(new UserView(1, "alice", "Alice Liddell", null, null), me);
    }

    @Test
    void updateDisplayName_refused_isAnApiExceptionWithTheProblemsCode() {
        server.answer("PUT", "/users/me/profile", 400, "{\"type\":\"about:blank\",\"title\":\"Invalid request\","
                + "\"status\":400,\"detail\":\"displayName may have at most 64 characters\",\"code\":\"INVALID_ARGUMENT\"}");
        ImApiException e = assertThrows(ImApiException.class, () -> rest.updateDisplayName(TOKEN, "x".repeat(65)));
        assertEquals(400, e.getStatus());
        assertEquals("INVALID_ARGUMENT", e.getCode());
        assertEquals("displayName may have at most 64 characters", e.getDetail());
    }

    @Test
    void createGroup_postsNameMembersAndPolicy_andDecodesTheGroup() throws Exception {
        server.answer("POST", "/groups", 201, GROUP_JSON);
        GroupView g = rest.createGroup(TOKEN, "team", List.of(2L, 3L), JoinPolicy.MEMBERS_INVITE);

        ScriptedRestServer.Request r = server.next();
        assertEquals("Bearer " + TOKEN, r.authorization());
        assertEquals("application/json", r.contentType());
        assertJson("{\"name\":\"team\",\"memberIds\":[2,3],\"joinPolicy\":\"MEMBERS_INVITE\"}", r.body());
        assertEquals(new GroupView(7, "g:7", "team", 1, JoinPolicy.MEMBERS_INVITE, false, false, 3,
                1_700_000_000_000L, GroupRole.OWNER, 1), g);
    }

    @Test
    void createGroup_withoutAPolicy_leavesTheServersDefault() throws Exception {
        server.answer("POST", "/groups", 201, GROUP_JSON);
        rest.createGroup(TOKEN, "team", null, null);
        assertJson("{\"name\":\"team\",\"memberIds\":[]}", server.next().body());
    }

    @Test
    void groupsAndGroup_decodeTheCallersView() throws Exception {
        server.answer("GET", "/groups", 200, "[" + GROUP_JSON + "]");
        server.answer("GET", "/groups/7", 200, GROUP_JSON);
        assertEquals(List.of(7L), rest.groups(TOKEN).stream().map(GroupView::groupId).toList());
        assertEquals("g:7", rest.group(TOKEN, 7).conversationId());
        assertEquals("Bearer " + TOKEN, server.next().authorization());
    }

    @Test
    void groupMembers_askForAPageByQuery_andDecodeIt() throws Exception {
        server.answer("GET", "/groups/7/members?after=2&limit=500", 200, "{\"members\":["
                + "{\"userId\":3,\"role\":\"ADMIN\",\"muted\":true,\"joinedSeq\":4},"
                + "{\"userId\":9,\"role\":\"MEMBER\",\"muted\":false,\"joinedSeq\":12}],\"hasMore\":true}");
        GroupMemberPage page = rest.groupMembers(TOKEN, 7, 2, 500);
        assertEquals(List.of(new GroupMemberView(3, GroupRole.ADMIN, true, 4),
                new GroupMemberView(9, GroupRole.MEMBER, false, 12)), page.members());
        assertTrue(page.hasMore());
        assertEquals("GET", server.next().method());
        assertThrows(IllegalArgumentException.class, () -> rest.groupMembers(TOKEN, 7, 0, 501));
    }

    /** One change call: what the client is told to do, and the request it must make for it. */
    private record ChangeCall(Function<ImRestClient, GroupChange> call, String method, String target, String body) {
    }

    @Test
    void everyChange_usesItsMethodPathAndBody_andAnswersTheSeqOfItsSystemMessage() throws Exception {
        List<ChangeCall> calls = List.of(
                new ChangeCall(r -> r.addGroupMembers(TOKEN, 7, List.of(4L, 5L)), "POST", "/groups/7/members",
                        "{\"userIds\":[4,5]}"),
                new ChangeCall(r -> r.removeGroupMember(TOKEN, 7, 4), "DELETE", "/groups/7/members/4", ""),
                new ChangeCall(r -> r.joinGroup(TOKEN, 7), "POST", "/groups/7/join", ""),
                new ChangeCall(r -> r.approveJoin(TOKEN, 7, 4), "POST", "/groups/7/requests/4/approve", ""),
                new ChangeCall(r -> r.rejectJoin(TOKEN, 7, 4), "DELETE", "/groups/7/requests/4", ""),
                new ChangeCall(r -> r.leaveGroup(TOKEN, 7), "POST", "/groups/7/leave", ""),
                new ChangeCall(r -> r.setGroupRole(TOKEN, 7, 4, GroupRole.ADMIN), "PUT", "/groups/7/members/4/role",
                        "{\"role\":\"ADMIN\"}"),
                new ChangeCall(r -> r.setGroupMemberMuted(TOKEN, 7, 4, true), "PUT", "/groups/7/members/4/muted",
                        "{\"muted\":true}"),
                new ChangeCall(r -> r.setGroupMuted(TOKEN, 7, false), "PUT", "/groups/7/muted", "{\"muted\":false}"),
                new ChangeCall(r -> r.transferGroupOwnership(TOKEN, 7, 4), "PUT", "/groups/7/owner", "{\"userId\":4}"),
                new ChangeCall(r -> r.renameGroup(TOKEN, 7, "crew"), "PUT", "/groups/7/name", "{\"name\":\"crew\"}"),
                new ChangeCall(r -> r.dissolveGroup(TOKEN, 7), "DELETE", "/groups/7", ""));
        long seq = 20;
        for (ChangeCall c : calls) {
            seq++;
            server.answer(c.method(), c.target(), 200, "{\"groupId\":7,\"seq\":" + seq + ",\"pending\":false}");
            GroupChange change = c.call().apply(rest);
            assertEquals(new GroupChange(7, seq, false), change, c.target());
            assertTrue(change.changed());
            ScriptedRestServer.Request r = server.next();
            assertEquals(c.method() + " " + c.target(), r.method() + " " + r.target());
            assertEquals("Bearer " + TOKEN, r.authorization());
            if (c.body().isEmpty()) {
                assertEquals("", r.body(), c.target());
            } else {
                assertJson(c.body(), r.body());
            }
        }
    }

    @Test
    void askingToJoinAnApprovalGroup_answersPending_withNoSeq() {
        server.answer("POST", "/groups/7/join", 200, "{\"groupId\":7,\"seq\":0,\"pending\":true}");
        GroupChange asked = rest.joinGroup(TOKEN, 7);
        assertTrue(asked.pending());
        assertFalse(asked.changed());
    }

    @Test
    void joinRequests_areListedOldestFirst() throws Exception {
        server.answer("GET", "/groups/7/requests", 200,
                "[{\"userId\":4,\"requestedAtMs\":1700000000000},{\"userId\":2,\"requestedAtMs\":1700000001000}]");
        assertEquals(List.of(new GroupJoinRequest(4, 1_700_000_000_000L), new GroupJoinRequest(2, 1_700_000_001_000L)),
                rest.joinRequests(TOKEN, 7));
        ScriptedRestServer.Request r = server.next();
        assertEquals("GET /groups/7/requests", r.method() + " " + r.target());
        assertEquals("Bearer " + TOKEN, r.authorization());
    }

    @Test
    void approvalPolicy_isSentByName() throws Exception {
        server.answer("POST", "/groups", 201, GROUP_JSON.replace("\"MEMBERS_INVITE\"", "\"APPROVAL\""));
        GroupView g = rest.createGroup(TOKEN, "team", List.of(), JoinPolicy.APPROVAL);
        assertJson("{\"name\":\"team\",\"memberIds\":[],\"joinPolicy\":\"APPROVAL\"}", server.next().body());
        assertEquals(JoinPolicy.APPROVAL, g.joinPolicy());
    }

    @Test
    void changeThatChangedNothing_answersSeqZero() {
        server.answer("POST", "/groups/7/members", 200, "{\"groupId\":7,\"seq\":0}");
        assertFalse(rest.addGroupMembers(TOKEN, 7, List.of(2L)).changed());
    }

    @Test
    void groupRefusal_isAnApiExceptionWithTheProblemsCode() {
        server.answer("DELETE", "/groups/7", 403, "{\"type\":\"about:blank\",\"title\":\"Permission denied\","
                + "\"status\":403,\"detail\":\"only the owner dissolves the group\",\"code\":\"PERMISSION_DENIED\"}");
        ImApiException e = assertThrows(ImApiException.class, () -> rest.dissolveGroup(TOKEN, 7));
        assertEquals(403, e.getStatus());
        assertEquals("PERMISSION_DENIED", e.getCode());
        assertEquals("only the owner dissolves the group", e.getDetail());
    }

    @Test
    void roleOrPolicyFromANewerServer_readsAsNull() {
        server.answer("GET", "/groups/7", 200, GROUP_JSON.replace("\"OWNER\"", "\"MODERATOR\"")
                .replace("\"MEMBERS_INVITE\"", "\"BY_REQUEST\""));
        GroupView g = rest.group(TOKEN, 7);
        assertNull(g.myRole());
        assertNull(g.joinPolicy());
    }

    @Test
    void onlyAdminOrMemberIsARoleToGive() {
        assertThrows(IllegalArgumentException.class, () -> rest.setGroupRole(TOKEN, 7, 4, GroupRole.OWNER));
    }
}
