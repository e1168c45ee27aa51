package im.router.typing;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.count;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static im.router.RouterTestSupport.toGroup;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.grpc.GrpcErrors;
import im.common.presence.PresenceRegistry;
import im.common.testing.TestTokensResource;
import im.common.token.GrpcAccessTokens;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.JoinPolicy;
import im.protocol.client.Typing;
import im.protocol.delivery.DeliveryEvent;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.Group;
import im.protocol.router.GroupsGrpc;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SetMembersMutedRequest;
import im.protocol.router.TypingRequest;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.routing.RecordingDeliveryHandlers;
import im.router.store.Transactions;
import io.agroal.api.AgroalDataSource;
import io.grpc.StatusRuntimeException;
import io.quarkus.agroal.DataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Typing signals: checked as a send would be, published to the other members' nodes only, never
 * written. Events travel the nodes' Kafka topics, which keep their order: a node that got a later
 * signal got every earlier one, so "nothing was published" is shown by a signal published after.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class TypingTest {

    private static final Duration EVENTS_WITHIN = Duration.ofSeconds(20);

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("router")
    GroupsGrpc.GroupsBlockingStub groups;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    @DataSource(Transactions.DATASOURCE)
    AgroalDataSource db;

    @Inject
    PresenceRegistry presence;

    @Inject
    RecordingDeliveryHandlers.NodeA nodeA;

    @Inject
    RecordingDeliveryHandlers.NodeB nodeB;

    @Test
    void friendsTyping_reachesThePeersNode_andNoneOfTheTypersOwnDevices() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        presence.connect(alice.id(), "alice-phone", "push-a");
        presence.connect(alice.id(), "alice-laptop", "push-b");
        presence.connect(bob.id(), "bob-phone", "push-b");

        typing(alice, "alice-phone", chat, true);
        typing(alice, "alice-phone", chat, false);

        List<DeliveryEvent> toB = await().atMost(EVENTS_WITHIN).until(() -> typings(nodeB, chat, alice),
                events -> events.size() >= 2);
        assertEquals(List.of(signal(chat, alice, true), signal(chat, alice, false)),
                toB.stream().map(DeliveryEvent::getTyping).toList(), "in order, user_id set by the server");
        for (DeliveryEvent event : toB) {
            assertEquals(List.of(bob.id()), event.getUserIdsList(), "alice's laptop on the same node is not told");
        }

        // Bob's answer to push-a comes after anything of alice's would have.
        typing(bob, "bob-phone", chat, true);
        await().atMost(EVENTS_WITHIN).until(() -> !typings(nodeA, chat, bob).isEmpty());
        assertEquals(List.of(), typings(nodeA, chat, alice), "alice's own devices hear nothing of her typing");
    }

    @Test
    void strangersAndOutsidersAreRefusedAsTheirSendWouldBe_andNothingIsPublished() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser eve = newUser(users);
        befriend(alice, bob);
        presence.connect(bob.id(), "bob-phone", "push-b");
        String eveAndBob = ConversationIds.privateChat(eve.id(), bob.id());
        String aliceAndBob = ConversationIds.privateChat(alice.id(), bob.id());

        assertRefused(ErrorCode.NOT_FRIENDS, () -> as(router, eve.token())
                .send(send("eve-phone", bob.id(), newClientMsgId(), "hi")));
        assertRefused(ErrorCode.NOT_FRIENDS, () -> typing(eve, "eve-phone", eveAndBob, true));
        assertRefused(ErrorCode.UNKNOWN_CONVERSATION, () -> typing(eve, "eve-phone", aliceAndBob, true));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> typing(eve, "eve-phone", "p:x:y", true));

        typing(alice, "alice-phone", aliceAndBob, true);
        await().atMost(EVENTS_WITHIN).until(() -> !typings(nodeB, aliceAndBob, alice).isEmpty());
        assertEquals(List.of(), typings(nodeB, eveAndBob, eve));
        assertEquals(List.of(), typings(nodeB, aliceAndBob, eve));
    }

    @Test
    void afterAFriendshipEnds_theExFriendsTypingIsRefusedLikeItsSend() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        typing(alice, "alice-phone", chat, true);

        given().auth().oauth2(bob.token()).delete("/friends/" + alice.id()).then().statusCode(204);

        assertRefused(ErrorCode.NOT_FRIENDS, () -> typing(alice, "alice-phone", chat, true));
        assertRefused(ErrorCode.NOT_FRIENDS, () -> as(router, alice.token())
                .send(send("alice-phone", bob.id(), newClientMsgId(), "still?")));
    }

    @Test
    void groupMembersTyping_reachesTheOtherMembersNodes_andNonMembersAndMutedMembersAreRefused() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        TestUser eve = newUser(users);
        Group group = groups(alice).createGroup(CreateGroupRequest.newBuilder().setName("typing")
                .setJoinPolicy(JoinPolicy.ADMINS_INVITE).addMemberIds(bob.id()).addMemberIds(carol.id()).build())
                .getGroup();
        String chat = group.getConversationId();
        presence.connect(alice.id(), "alice-phone", "push-a");
        presence.connect(bob.id(), "bob-phone", "push-b");
        presence.connect(carol.id(), "carol-phone", "push-a");

        typing(alice, "alice-phone", chat, true);

        await().atMost(EVENTS_WITHIN).until(() -> !typings(nodeA, chat, alice).isEmpty()
                && !typings(nodeB, chat, alice).isEmpty());
        assertEquals(List.of(carol.id()), typings(nodeA, chat, alice).get(0).getUserIdsList());
        assertEquals(List.of(bob.id()), typings(nodeB, chat, alice).get(0).getUserIdsList());
        assertEquals(signal(chat, alice, true), typings(nodeB, chat, alice).get(0).getTyping());

        groups(alice).setMembersMuted(SetMembersMutedRequest.newBuilder().setGroupId(group.getGroupId())
                .addUserIds(bob.id()).setMuted(true).build());
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> as(router, bob.token())
                .send(toGroup("bob-phone", group.getGroupId(), "muted?")));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> typing(bob, "bob-phone", chat, true));
        assertRefused(ErrorCode.PERMISSION_DENIED, () -> typing(eve, "eve-phone", chat, true));
        assertRefused(ErrorCode.UNKNOWN_CONVERSATION, () -> typing(eve, "eve-phone",
                ConversationIds.group(group.getGroupId() + 1_000_000_000L), true));

        typing(carol, "carol-phone", chat, true);
        await().atMost(EVENTS_WITHIN).until(() -> !typings(nodeA, chat, carol).isEmpty()
                && !typings(nodeB, chat, carol).isEmpty());
        assertEquals(List.of(), typings(nodeA, chat, bob));
        assertEquals(List.of(), typings(nodeB, chat, eve));
    }

    @Test
    void typingWritesNothing() throws Exception {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        as(router, alice.token()).send(send("alice-phone", bob.id(), newClientMsgId(), "hello"));
        Group group = groups(alice).createGroup(CreateGroupRequest.newBuilder().setName("quiet")
                .setJoinPolicy(JoinPolicy.ADMINS_INVITE).addMemberIds(bob.id()).build()).getGroup();
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        List<Long> before = rows(chat, group.getConversationId());

        for (int i = 0; i < 20; i++) {
            typing(alice, "alice-phone", chat, i % 2 == 0);
            typing(bob, "bob-phone", group.getConversationId(), i % 2 == 0);
        }

        assertEquals(before, rows(chat, group.getConversationId()));
    }

    /** Messages, member rows and read cursors, and last seqs of the two conversations; all messages. */
    private List<Long> rows(String chat, String groupChat) throws Exception {
        return List.of(
                count(db, "SELECT COUNT(*) FROM message WHERE conversation_id IN (?, ?)", chat, groupChat),
                count(db, "SELECT COUNT(*) FROM conversation_member WHERE conversation_id IN (?, ?)", chat, groupChat),
                count(db, "SELECT COALESCE(SUM(last_seq), 0) FROM conversation WHERE id IN (?, ?)", chat, groupChat),
                count(db, "SELECT COALESCE(SUM(last_read_seq), 0) FROM conversation_member "
                        + "WHERE conversation_id IN (?, ?)", chat, groupChat),
                count(db, "SELECT COUNT(*) FROM message"));
    }

    private void typing(TestUser user, String deviceId, String conversationId, boolean typing) {
        as(router, user.token()).typing(TypingRequest.newBuilder().setDeviceId(deviceId)
                .setTyping(Typing.newBuilder().setConversationId(conversationId).setTyping(typing)
                        // Ignored: the router names the caller.
                        .setUserId(424242))
                .build());
    }

    private GroupsGrpc.GroupsBlockingStub groups(TestUser user) {
        return groups.withCallCredentials(GrpcAccessTokens.bearer(user.token()))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static Typing signal(String conversationId, TestUser user, boolean typing) {
        return Typing.newBuilder().setConversationId(conversationId).setUserId(user.id()).setTyping(typing).build();
    }

    /** The typing events a node got of the user in the conversation, in order. */
    private static List<DeliveryEvent> typings(RecordingDeliveryHandlers.Recording node, String conversationId,
            TestUser typer) {
        return node.events().stream().filter(e -> e.hasTyping()
                && e.getTyping().getConversationId().equals(conversationId)
                && e.getTyping().getUserId() == typer.id()).toList();
    }

    private static void assertRefused(ErrorCode expected, Runnable call) {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(expected, GrpcErrors.codeOf(failure), failure.toString());
    }
}
