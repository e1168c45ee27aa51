package im.client.cli;

import com.google.protobuf.ByteString;
import im.client.sdk.ImErrorException;
import im.client.sdk.ScriptedRestServer;
import im.protocol.client.Attachment;
import im.protocol.client.Content;
import im.protocol.client.ErrorCode;
import im.protocol.client.ImageContent;
import im.protocol.client.TextContent;
import im.protocol.client.GroupEvent;
import im.protocol.client.GroupRole;
import im.protocol.client.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImCliTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CliContext context(String stdin) {
        return new CliContext(home, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sendTakesTheUsernameAndJoinsTheWordsOfTheText() {
        CommandLine cmd = ImCli.commandLine(context(""));
        ParseResult parsed = cmd.parseArgs("send", "bob", "hello", "there");
        SendCommand send = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertEquals("bob", send.username);
        assertEquals(List.of("hello", "there"), send.text);
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        CommandLine before = ImCli.commandLine(context(""));
        before.parseArgs("--profile", "alice", "--push", "ws://h:7001/ws", "friends");
        ImCli top = before.getCommand();
        assertEquals("alice", top.profile);
        assertEquals("ws://h:7001/ws", top.push);

        CommandLine after = ImCli.commandLine(context(""));
        after.parseArgs("history", "bob", "--limit", "5", "--profile", "bob2", "--server", "http://h:8080");
        ImCli top2 = after.getCommand();
        HistoryCommand history = after.getSubcommands().get("history").getCommand();
        assertEquals("bob2", history.cli.profile);
        assertEquals("http://h:8080", history.cli.server);
        assertEquals(5, history.limit);
        assertEquals(top2, history.cli);
    }

    @Test
    void defaultsApplyWhenNeitherOptionNorProfileSaysOtherwise() {
        CommandLine cmd = ImCli.commandLine(context(""));
        cmd.parseArgs("friend", "accept", "17");
        ImCli top = cmd.getCommand();
        Profile empty = new Profile(null, null, null, null, null, "d", null, null);
        assertEquals("default", top.profile);
        assertEquals("http://localhost:8080", top.serverFor(empty));
        assertEquals("tcp://localhost:7000", top.pushFor(empty));
        Profile saved = new Profile("http://s:1", null, "ws://p:2/ws", null, null, "d", null, null);
        assertEquals("http://s:1", top.serverFor(saved));
        assertEquals("ws://p:2/ws", top.pushFor(saved));
    }

    @Test
    void missingArgumentIsAUsageErrorWithExitCodeTwo() {
        assertEquals(2, ImCli.run(context(""), "send", "bob"));
        assertTrue(err().contains("TEXT"), err());
    }

    @Test
    void commandsNeedingALoginSayHowToLogIn() {
        assertEquals(1, ImCli.run(context(""), "friends"));
        assertEquals("im: not logged in: run `im login <username>` first" + System.lineSeparator(), err());
    }

    @Test
    void badProfileNameIsRefused() {
        assertEquals(1, ImCli.run(context(""), "--profile", "../etc", "whoami"));
        assertTrue(err().startsWith("im: bad profile name"), err());
    }

    @Test
    void unreachableServerIsOneClearLine() {
        int code = ImCli.run(context("password1\n"), "--server", "http://127.0.0.1:1", "login", "alice");
        assertEquals(1, code);
        assertTrue(err().startsWith("im: cannot reach http://127.0.0.1:1/"), err());
        assertEquals(1, err().lines().count());
    }

    @Test
    void tooManyAttemptsSaysWhenToTryAgain() throws Exception {
        try (ScriptedRestServer server = new ScriptedRestServer()) {
            String problem = "{\"status\":429,\"detail\":\"too many failed logins of this account; try again in 42 s\","
                    + "\"code\":\"RATE_LIMITED\"}";
            server.answer("POST", "/auth/login", 429, problem, Map.of("Retry-After", "42"));
            server.answer("POST", "/auth/register", 429, problem, Map.of("Retry-After", "3000"));

            assertEquals(1, ImCli.run(context("password1\n"), "--server", server.url().toString(), "login", "alice"));
            assertEquals("im: too many attempts, try again in 42 s" + System.lineSeparator(), err());

            err.reset();
            assertEquals(1, ImCli.run(context("password1\n"), "--server", server.url().toString(), "register",
                    "alice"));
            assertEquals("im: too many attempts, try again in 3000 s" + System.lineSeparator(), err());
        }
    }

    @Test
    void profileSurvivesARoundTripAndKeepsItsDeviceId() throws Exception {
        ProfileStore store = new ProfileStore(home);
        Profile fresh = store.loadOrCreate("alice");
        assertTrue(fresh.deviceId().matches("cli-[0-9a-f]{12}"));
        Profile loggedIn = fresh.withServers("http://s:8080", null, "tcp://p:7000").withLogin(7, "alice", "acc", "ref");
        store.save("alice", loggedIn);

        assertEquals(loggedIn, store.load("alice").orElseThrow());
        assertEquals(loggedIn.deviceId(), store.loadOrCreate("alice").deviceId());
        assertTrue(store.load("alice").orElseThrow().loggedIn());
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(home.resolve("alice.json"));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);

        store.save("alice", loggedIn.loggedOut());
        Profile out = store.load("alice").orElseThrow();
        assertFalse(out.loggedIn());
        assertNull(out.accessToken());
        assertEquals(loggedIn.deviceId(), out.deviceId());
        assertFalse(Files.readString(home.resolve("alice.json")).contains("accessToken"));
    }

    @Test
    void profilesOfOneHomeAreSeparateDevices() {
        ProfileStore store = new ProfileStore(home);
        assertNotEquals(store.loadOrCreate("a").deviceId(), store.loadOrCreate("b").deviceId());
    }

    @Test
    void imHomeOverridesTheDefaultHome() {
        assertEquals(Path.of("/x/im"), CliContext.homeFrom(Map.of("IM_HOME", "/x/im"), "/home/u"));
        assertEquals(Path.of("/home/u", ".im"), CliContext.homeFrom(Map.of(), "/home/u"));
    }

    @Test
    void accessTokenExpiryIsReadFromTheJwt() {
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"7\",\"exp\":1700000000}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), Session.expiryOf("h." + payload + ".s"));
        assertNull(Session.expiryOf("not-a-jwt"));
    }

    @Test
    void messageLineShowsTimeSenderAndTextWithoutControlCharacters() {
        MessageLines lines = new MessageLines(1, "alice", 2, "bob", ZoneOffset.UTC);
        Message m = Message.newBuilder().setSenderId(2).setCreatedAtMs(43_384_000L)
                .setBody(ByteString.copyFromUtf8("hi\u001b[2J")).build();
        assertEquals("[12:03:04] bob: hi\uFFFD[2J", lines.format(m));
        assertEquals("[12:03:04] alice: x", lines.format(m.toBuilder().setSenderId(1)
                .setBody(ByteString.copyFromUtf8("x")).build()));
        Message typed = m.toBuilder().clearBody().setContent(Content.newBuilder()
                .setText(TextContent.newBuilder().setText("typed\u0007 text"))).build();
        assertEquals("[12:03:04] bob: typed\uFFFD text", lines.format(typed));
        assertEquals("[12:03:04] bob: [image cat.png]", lines.format(typed.toBuilder().setContent(Content.newBuilder()
                .setImage(ImageContent.newBuilder().setImage(Attachment.newBuilder().setName("cat.png")))).build()));
    }

    @Test
    void notFriendsSendSaysHowToBecomeFriends() {
        assertEquals("bob is not your friend yet: `im friend add bob`",
                MessageLines.sendFailure(new ImErrorException(ErrorCode.NOT_FRIENDS, "x"), "bob"));
        assertThrows(CliException.class, () -> MessageLines.text("x".repeat(MessageLines.MAX_TEXT_LENGTH + 1)));
        assertThrows(CliException.class, () -> MessageLines.text(" \n "));
    }

    @Test
    void chatShowsEachMessageOnceAndNothingOlderThanItsHistory() {
        ChatCommand.Shown shown = new ChatCommand.Shown();
        shown.startAfter(10);
        assertFalse(shown.add(3), "older than the history shown");
        assertTrue(shown.add(12));
        assertTrue(shown.add(11));
        assertFalse(shown.add(12));
        assertFalse(shown.add(11));
        assertTrue(shown.add(13));
    }

    @Test
    void groupSystemMessagesReadAsWhoDidWhatToWhom() {
        Map<Long, String> users = Map.of(1L, "alice", 2L, "bob", 3L, "carol");
        MessageLines lines = new MessageLines(id -> users.getOrDefault(id, "user " + id), ZoneOffset.UTC);
        Message m = Message.newBuilder().setConversationId("g:7").setSenderId(1).setCreatedAtMs(43_384_000L).build();
        java.util.function.BiFunction<Long, GroupEvent.Builder, String> line = (actor, event) ->
                lines.format(m.toBuilder().setSenderId(actor).setGroupEvent(event).build());

        assertEquals("[12:03:04] * alice created the group \"team\" with bob, carol", line.apply(1L,
                GroupEvent.newBuilder().setKind(GroupEvent.Kind.CREATED).setName("team").addUserIds(2).addUserIds(3)));
        assertEquals("[12:03:04] * alice added bob, carol", line.apply(1L,
                GroupEvent.newBuilder().setKind(GroupEvent.Kind.JOINED).addUserIds(2).addUserIds(3)));
        assertEquals("[12:03:04] * bob joined", line.apply(2L,
                GroupEvent.newBuilder().setKind(GroupEvent.Kind.JOINED).addUserIds(2)));
        assertEquals("[12:03:04] * bob left", line.apply(2L, GroupEvent.newBuilder().setKind(GroupEvent.Kind.LEFT)));
        assertEquals("[12:03:04] * alice removed user 9", line.apply(1L,
                GroupEvent.newBuilder().setKind(GroupEvent.Kind.REMOVED).addUserIds(9)));
        assertEquals("[12:03:04] * alice made bob an admin", line.apply(1L, GroupEvent.newBuilder()
                .setKind(GroupEvent.Kind.ROLE_CHANGED).setRole(GroupRole.ADMIN).addUserIds(2)));
        assertEquals("[12:03:04] * alice made bob, carol members", line.apply(1L, GroupEvent.newBuilder()
                .setKind(GroupEvent.Kind.ROLE_CHANGED).setRole(GroupRole.MEMBER).addUserIds(2).addUserIds(3)));
        assertEquals("[12:03:04] * bob muted carol", line.apply(2L, GroupEvent.newBuilder()
                .setKind(GroupEvent.Kind.MEMBERS_MUTED).setMuted(true).addUserIds(3)));
        assertEquals("[12:03:04] * bob unmuted carol", line.apply(2L, GroupEvent.newBuilder()
                .setKind(GroupEvent.Kind.MEMBERS_MUTED).setMuted(false).addUserIds(3)));
        assertEquals("[12:03:04] * alice muted the group: only the owner and admins may send", line.apply(1L,
                GroupEvent.newBuilder().setKind(GroupEvent.Kind.GROUP_MUTED).setMuted(true)));
        assertEquals("[12:03:04] * alice made bob the owner", line.apply(1L,
                GroupEvent.newBuilder().setKind(GroupEvent.Kind.OWNER_CHANGED).addUserIds(2)));
        assertEquals("[12:03:04] * bob renamed the group to \"crew\uFFFD[2J\"", line.apply(2L,
                GroupEvent.newBuilder().setKind(GroupEvent.Kind.RENAMED).setName("crew\u001b[2J")));
        assertEquals("[12:03:04] * alice dissolved the group", line.apply(1L,
                GroupEvent.newBuilder().setKind(GroupEvent.Kind.DISSOLVED)));
        assertEquals("[12:03:04] carol: hi", lines.format(m.toBuilder().setSenderId(3)
                .setBody(ByteString.copyFromUtf8("hi")).build()), "an ordinary group message");
    }

    @Test
    void refusedGroupSendSaysWhy() {
        assertEquals("you are not a member of group 7 \"team\"", MessageLines.groupSendFailure(
                new ImErrorException(ErrorCode.UNKNOWN_CONVERSATION, "x"), "group 7 \"team\""));
        assertTrue(MessageLines.groupSendFailure(new ImErrorException(ErrorCode.PERMISSION_DENIED, "muted"), "g")
                .startsWith("you may not send in g"));
    }
}
