package im.router.offline;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.presence.PresenceRegistry;
import im.common.testing.TestTokensResource;
import im.common.token.GrpcAccessTokens;
import im.protocol.client.ConversationIds;
import im.protocol.client.SetConversationSettings;
import im.protocol.client.Send;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.Group;
import im.protocol.router.GroupsGrpc;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.router.SetConversationSettingsRequest;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The offline webhook against a real receiver (the JDK's HTTP server on a free port): stored
 * messages for users without an online device reach it signed, batched and retried.
 */
@QuarkusTest
@TestProfile(OfflineWebhookTest.Hook.class)
@QuarkusTestResource(TestTokensResource.class)
class OfflineWebhookTest {

    static final String SECRET = "test-only-offline-webhook-secret-0123456789";

    /** The router with its webhook pointed at a port free when the app is configured. */
    public static class Hook implements QuarkusTestProfile {
        private static final int PORT = freePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "im.router.offline-webhook.url", "http://127.0.0.1:" + PORT + "/offline",
                    "im.router.offline-webhook.secret", SECRET);
        }

        @Override
        public String getConfigProfile() {
            return "test";
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static WebhookReceiver receiver;

    @ConfigProperty(name = "im.router.offline-webhook.url")
    String url;

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("router")
    GroupsGrpc.GroupsBlockingStub groups;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    PresenceRegistry presence;

    @BeforeEach
    void listen() throws IOException {
        if (receiver == null) {
            receiver = new WebhookReceiver(URI.create(url));
        }
    }

    @AfterAll
    static void stopListening() {
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
    }

    @Test
    void messageToOfflineFriend_reachesTheReceiverOnce_signed_withMetadataButNoBody() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);

        SendResponse sent = as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "secret text"));

        JsonObject notification = awaitTaken(bob).get(0);
        assertEquals(sent.getAck().getMsgId() + ":" + bob.id(), notification.getString("id"));
        assertEquals(bob.id(), notification.getLong("userId"));
        assertEquals(ConversationIds.privateChat(alice.id(), bob.id()), notification.getString("conversationId"));
        assertEquals(sent.getAck().getSeq(), notification.getLong("seq"));
        assertEquals(alice.id(), notification.getLong("senderId"));
        assertEquals(sent.getAck().getMsgId(), notification.getLong("messageId"));
        assertEquals(sent.getAck().getCreatedAtMs(), notification.getLong("sentAtMs"));
        assertFalse(notification.getBoolean("group"));
        assertFalse(notification.getBoolean("mentioned"));
        assertFalse(notification.getBoolean("muted"));
        assertEquals(10, notification.size(), "metadata only: " + notification);

        WebhookReceiver.Call call = callWith(notification.getString("id"));
        assertFalse(new String(call.body(), StandardCharsets.UTF_8).contains("secret text"));
        assertEquals(expectedSignature(call.timestamp(), call.body()), call.signature());
        long age = Instant.now().getEpochSecond() - Long.parseLong(call.timestamp());
        assertTrue(age >= 0 && age < 300, "timestamp is now: " + call.timestamp());

        TimeUnit.MILLISECONDS.sleep(1500);
        assertEquals(1, receiver.takenFor(bob.id()).size(), "one notification per message and recipient");
        assertTrue(receiver.takenFor(alice.id()).isEmpty(), "the sender is not told of their own message");
    }

    @Test
    void aMessageThatMentionsTheOfflineUser_isFlaggedMentioned() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        SendRequest plain = send("alice-phone", bob.id(), newClientMsgId(), "@bob are you there?");

        as(router, alice.token()).send(plain.toBuilder().setSend(plain.getSend().toBuilder().addMentions(bob.id())).build());

        assertTrue(awaitTaken(bob).get(0).getBoolean("mentioned"));
    }

    @Test
    void aConversationTheOfflineUserMuted_isFlaggedMuted_aMentionThereToo_andNotOnceUnmuted() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "first"));
        assertFalse(awaitTaken(bob).get(0).getBoolean("muted"));

        muteFor(bob, chat, true);
        SendRequest mention = send("alice-phone", bob.id(), newClientMsgId(), "@bob look");
        long mentioning = as(router, alice.token()).send(mention.toBuilder()
                .setSend(mention.getSend().toBuilder().addMentions(bob.id())).build()).getAck().getMsgId();
        long plain = as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "later"))
                .getAck().getMsgId();
        // The flag is read as a batch leaves: unmute only once the muted ones have left.
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.takenFor(bob.id()).size() == 3);
        muteFor(bob, chat, false);
        long afterUnmute = as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "again"))
                .getAck().getMsgId();

        List<JsonObject> taken = await().atMost(Duration.ofSeconds(20))
                .until(() -> receiver.takenFor(bob.id()), all -> all.size() == 4);
        JsonObject mentioned = byMessage(taken, mentioning);
        assertTrue(mentioned.getBoolean("muted"));
        assertTrue(mentioned.getBoolean("mentioned"), "a receiver may still wake the phone for it");
        assertTrue(byMessage(taken, plain).getBoolean("muted"));
        assertFalse(byMessage(taken, afterUnmute).getBoolean("muted"));
    }

    @Test
    void messageToFriendWithAnOnlineDevice_notifiesNobody() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        befriend(alice, bob);
        befriend(alice, carol);
        presence.connect(bob.id(), "bob-phone", "push-a");

        as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "you are online"));
        as(router, alice.token()).send(send("alice-phone", carol.id(), newClientMsgId(), "you are not"));

        // One thread posts in queue order: once carol's is there, anything for bob came before it.
        awaitTaken(carol);
        assertTrue(receiver.takenFor(bob.id()).isEmpty());
        assertTrue(receiver.calls().stream().flatMap(call -> call.notifications().stream())
                .noneMatch(n -> n.getLong("userId") == bob.id()), "not even in a refused call");
    }

    @Test
    void receiverAnswering500_getsTheBatchAgain_untilItTakesIt() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        receiver.failNext(1);

        SendResponse sent = as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "retry me"));

        String id = sent.getAck().getMsgId() + ":" + bob.id();
        await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.takenFor(bob.id()).isEmpty());
        List<Integer> answers = receiver.calls().stream()
                .filter(call -> call.notifications().stream().anyMatch(n -> n.getString("id").equals(id)))
                .map(WebhookReceiver.Call::status).toList();
        assertEquals(List.of(500, 200), answers, "refused once, posted again with the same id, taken once");
    }

    @Test
    void messagesWithinTheBatchWindow_arriveInOneCall() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);

        for (int i = 0; i < 3; i++) {
            as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "burst " + i));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.takenFor(bob.id()).size() == 3);
        long callsWithBob = receiver.calls().stream()
                .filter(call -> call.notifications().stream().anyMatch(n -> n.getLong("userId") == bob.id()))
                .count();
        assertEquals(1, callsWithBob, "three messages, one call");
    }

    @Test
    void groupMessage_notifiesEachOfflineMemberButTheSenderAndTheOnlineOnes() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        TestUser dave = newUser(users);
        presence.connect(dave.id(), "dave-phone", "push-a");
        Group group = groups.withCallCredentials(GrpcAccessTokens.bearer(alice.token()))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createGroup(CreateGroupRequest.newBuilder().setName("trip")
                        .addMemberIds(bob.id()).addMemberIds(carol.id()).addMemberIds(dave.id()).build())
                .getGroup();

        SendResponse sent = as(router, alice.token()).send(SendRequest.newBuilder().setDeviceId("alice-phone")
                .setSend(Send.newBuilder().setClientMsgId(newClientMsgId()).setGroupId(group.getGroupId())
                        .setBody(ByteString.copyFrom("hello all", StandardCharsets.UTF_8)))
                .build());

        for (TestUser offline : List.of(bob, carol)) {
            // The group's creation (a system message) wakes nobody: the one notification is the message's.
            List<JsonObject> taken = awaitTaken(offline);
            assertEquals(1, taken.size());
            assertEquals(sent.getAck().getMsgId(), taken.get(0).getLong("messageId"));
            assertEquals(group.getConversationId(), taken.get(0).getString("conversationId"));
            assertTrue(taken.get(0).getBoolean("group"));
        }
        assertTrue(receiver.takenFor(alice.id()).isEmpty(), "not the sender");
        assertTrue(receiver.takenFor(dave.id()).isEmpty(), "not a member with an online device");
    }

    private void muteFor(TestUser user, String conversationId, boolean off) {
        as(router, user.token()).setConversationSettings(SetConversationSettingsRequest.newBuilder().setDeviceId("phone")
                .setSettings(SetConversationSettings.newBuilder().setConversationId(conversationId)
                        .setNotificationsOff(off)).build());
    }

    private static JsonObject byMessage(List<JsonObject> taken, long msgId) {
        return taken.stream().filter(n -> n.getLong("messageId") == msgId).findFirst().orElseThrow();
    }

    private static List<JsonObject> awaitTaken(TestUser user) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> receiver.takenFor(user.id()), taken -> !taken.isEmpty());
    }

    private static WebhookReceiver.Call callWith(String id) {
        return receiver.calls().stream()
                .filter(call -> call.status() == 200)
                .filter(call -> call.notifications().stream().anyMatch(n -> n.getString("id").equals(id)))
                .findFirst().orElseThrow();
    }

    /** What a receiver computes: HMAC-SHA256 of timestamp "." body with the shared secret. */
    private static String expectedSignature(String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
