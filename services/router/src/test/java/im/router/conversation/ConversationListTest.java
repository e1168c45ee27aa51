package im.router.conversation;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static im.router.RouterTestSupport.toGroup;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.grpc.GrpcErrors;
import im.common.presence.PresenceRegistry;
import im.common.testing.TestTokensResource;
import im.common.token.GrpcAccessTokens;
import im.protocol.client.ConversationIds;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSettings;
import im.protocol.client.ConversationSummary;
import im.protocol.client.ErrorCode;
import im.protocol.client.GetConversations;
import im.protocol.client.SetConversationSettings;
import im.protocol.delivery.DeliveryEvent;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.Group;
import im.protocol.router.GroupRequest;
import im.protocol.router.GroupsGrpc;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SetConversationSettingsRequest;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.routing.RecordingDeliveryHandlers;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The conversation list (PageConversations) and a user's settings of a conversation, on the real database. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class ConversationListTest {

    private static final Duration EVENTS_WITHIN = Duration.ofSeconds(20);

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("router")
    GroupsGrpc.GroupsBlockingStub groups;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    PresenceRegistry presence;

    @Inject
    RecordingDeliveryHandlers.NodeA nodeA;

    @Inject
    RecordingDeliveryHandlers.NodeB nodeB;

    @Test
    void unreadCountsMessagesBeyondTheReadCursorAndTheUsersOwnSendsCountAsRead() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        for (int i = 0; i < 3; i++) {
            as(router, alice.token()).send(send("alice-desk", bob.id(), newClientMsgId(), "m" + i));
        }

        ConversationSummary bobs = only(page(bob, "", 0));
        assertEquals(chat, bobs.getConversationId());
        assertEquals(3, bobs.getLastSeq());
        assertEquals(3, bobs.getUnread());
        assertEquals(0, bobs.getReadSeq());
        assertEquals("m2", bobs.getLastMessage().getBody().toStringUtf8());
        assertEquals(3, bobs.getLastMessage().getSeq());
        ConversationSummary alices = only(page(alice, "", 0));
        assertEquals(0, alices.getUnread(), "the sender has read what it sent");
        assertEquals(3, alices.getReadSeq());

        as(router, bob.token()).markRead(MarkReadRequest.newBuilder().setDeviceId("bob-phone")
                .setConversationId(chat).setUpToSeq(2).build());
        assertEquals(1, only(page(bob, "", 0)).getUnread());

        as(router, bob.token()).send(send("bob-phone", alice.id(), newClientMsgId(), "reply"));
        assertEquals(0, only(page(bob, "", 0)).getUnread(), "a reply reads what came before it");
        assertEquals(1, only(page(alice, "", 0)).getUnread());
        assertEquals("reply", only(page(alice, "", 0)).getLastMessage().getBody().toStringUtf8());
    }

    @Test
    void listIsPinnedFirstThenNewestFirstAndItsPagesHoldEveryConversationOnce() {
        TestUser me = newUser(users);
        List<String> sentInOrder = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            TestUser friend = newUser(users);
            befriend(me, friend);
            as(router, friend.token()).send(send("phone", me.id(), newClientMsgId(), "hi " + i));
            sentInOrder.add(0, ConversationIds.privateChat(me.id(), friend.id()));
            awaitTheClockMoving();
        }

        assertEquals(sentInOrder, walk(me, 3), "newest first, every conversation once over pages of 3");

        String oldest = sentInOrder.get(sentInOrder.size() - 1);
        String second = sentInOrder.get(1);
        setSettings(me, "phone", SetConversationSettings.newBuilder().setConversationId(second).setPinned(true));
        awaitTheClockMoving();
        ConversationSettings pinned = setSettings(me, "phone",
                SetConversationSettings.newBuilder().setConversationId(oldest).setPinned(true));
        assertTrue(pinned.getPinned());
        assertTrue(pinned.getPinnedAtMs() > 0);

        List<String> expected = new ArrayList<>(sentInOrder);
        expected.remove(oldest);
        expected.remove(second);
        expected.add(0, second);
        expected.add(0, oldest);
        assertEquals(expected, walk(me, 2), "the most recently pinned first, then the other pin, then by time");
        ConversationSummary top = page(me, "", 1).getConversations(0);
        assertTrue(top.getPinned());
        assertEquals(pinned.getPinnedAtMs(), top.getPinnedAtMs());

        setSettings(me, "phone", SetConversationSettings.newBuilder().setConversationId(oldest).setPinned(false));
        setSettings(me, "phone", SetConversationSettings.newBuilder().setConversationId(second).setPinned(false));
        assertEquals(sentInOrder, walk(me, 100));
    }

    @Test
    void aSettingChangesOnlyWhatItSetsAndReachesTheUsersOtherDevicesNotTheAskingOne() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        as(router, alice.token()).send(send("alice-desk", bob.id(), newClientMsgId(), "hello"));
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        presence.connect(bob.id(), "bob-phone", "push-a");
        presence.connect(bob.id(), "bob-laptop", "push-b");

        ConversationSettings off = setSettings(bob, "bob-phone",
                SetConversationSettings.newBuilder().setConversationId(chat).setNotificationsOff(true));
        assertTrue(off.getNotificationsOff());
        assertFalse(off.getPinned());

        List<DeliveryEvent> toLaptop = await().atMost(EVENTS_WITHIN).until(() -> settingsEvents(nodeB, chat),
                events -> !events.isEmpty());
        assertEquals(List.of(bob.id()), toLaptop.get(0).getUserIdsList());
        assertEquals("bob-phone", toLaptop.get(0).getExceptDeviceId());
        assertEquals(off, toLaptop.get(0).getConversationSettings());
        assertEquals(List.of(), settingsEvents(nodeA, chat), "the asking device's node has no other device of bob");

        ConversationSettings pinned = setSettings(bob, "bob-phone",
                SetConversationSettings.newBuilder().setConversationId(chat).setPinned(true));
        assertTrue(pinned.getNotificationsOff(), "unset fields stay as they were");
        assertTrue(pinned.getPinned());
        ConversationSummary listed = only(page(bob, "", 0));
        assertTrue(listed.getNotificationsOff());
        assertTrue(listed.getPinned());
        assertFalse(only(page(alice, "", 0)).getNotificationsOff(), "settings are each member's own");

        await().atMost(EVENTS_WITHIN).until(() -> settingsEvents(nodeB, chat).size() == 2);
        assertEquals(pinned, setSettings(bob, "bob-phone",
                SetConversationSettings.newBuilder().setConversationId(chat).setPinned(true)),
                "pinning what is pinned keeps its time");
        // A change that changed nothing tells nobody: a later real change's event is the next one.
        ConversationSettings on = setSettings(bob, "bob-phone",
                SetConversationSettings.newBuilder().setConversationId(chat).setNotificationsOff(false));
        List<DeliveryEvent> told = await().atMost(EVENTS_WITHIN).until(() -> settingsEvents(nodeB, chat),
                events -> events.size() >= 3);
        assertEquals(3, told.size());
        assertEquals(on, told.get(2).getConversationSettings());
    }

    @Test
    void settingsOfAConversationTheUserIsNotInAreRefusedAsUnknown() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        befriend(alice, bob);
        as(router, alice.token()).send(send("alice-desk", bob.id(), newClientMsgId(), "private"));

        StatusRuntimeException outsider = assertThrows(StatusRuntimeException.class, () -> setSettings(carol, "phone",
                SetConversationSettings.newBuilder().setConversationId(ConversationIds.privateChat(alice.id(), bob.id()))
                        .setNotificationsOff(true)));
        assertEquals(ErrorCode.UNKNOWN_CONVERSATION, GrpcErrors.codeOf(outsider));
        StatusRuntimeException noMessagesYet = assertThrows(StatusRuntimeException.class, () -> setSettings(alice,
                "phone", SetConversationSettings.newBuilder()
                        .setConversationId(ConversationIds.privateChat(alice.id(), carol.id())).setPinned(true)));
        assertEquals(ErrorCode.UNKNOWN_CONVERSATION, GrpcErrors.codeOf(noMessagesYet));
        assertEquals(0, page(carol, "", 0).getConversationsCount());
    }

    @Test
    void aBadPageTokenOrLimitIsRefusedAsInvalid() {
        TestUser alice = newUser(users);
        for (String token : List.of("not-base64!", "MjpmOm86bw", "x".repeat(300))) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> page(alice, token, 0));
            assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(refused), token);
        }
        for (int limit : List.of(-1, 101)) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> page(alice, "", limit));
            assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(refused));
        }
    }

    @Test
    void aGroupCountsUnreadFromTheMembersJoiningAndAGroupTheUserLeftGoesLast() {
        TestUser owner = newUser(users);
        TestUser member = newUser(users);
        TestUser friend = newUser(users);
        befriend(member, friend);
        Group group = groups(owner).createGroup(CreateGroupRequest.newBuilder().setName("trip")
                .addMemberIds(member.id()).build()).getGroup();
        as(router, owner.token()).send(toGroup("phone", group.getGroupId(), "one"));
        as(router, owner.token()).send(toGroup("phone", group.getGroupId(), "two"));

        ConversationSummary listed = only(page(member, "", 0));
        assertEquals(group.getConversationId(), listed.getConversationId());
        assertEquals(3, listed.getUnread(), "the creation and two messages");

        awaitTheClockMoving();
        as(router, friend.token()).send(send("phone", member.id(), newClientMsgId(), "later"));
        long leftAt = groups(member).leave(GroupRequest.newBuilder().setGroupId(group.getGroupId()).build()).getSeq();
        awaitTheClockMoving();
        as(router, owner.token()).send(toGroup("phone", group.getGroupId(), "after you left"));

        List<ConversationSummary> list = page(member, "", 0).getConversationsList();
        assertEquals(List.of(ConversationIds.privateChat(member.id(), friend.id()), group.getConversationId()),
                list.stream().map(ConversationSummary::getConversationId).toList());
        assertEquals(leftAt, list.get(1).getLastSeq(), "a former member's conversation ends at its leaving");
        assertEquals(leftAt, list.get(1).getLastMessage().getSeq());
    }

    private List<String> walk(TestUser user, int pageSize) {
        List<String> seen = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        String token = "";
        do {
            ConversationPage page = page(user, token, pageSize);
            assertTrue(page.getConversationsCount() <= pageSize);
            for (ConversationSummary summary : page.getConversationsList()) {
                assertTrue(distinct.add(summary.getConversationId()), "met twice: " + summary.getConversationId());
                seen.add(summary.getConversationId());
            }
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return seen;
    }

    private ConversationPage page(TestUser user, String token, int limit) {
        return as(router, user.token()).pageConversations(
                GetConversations.newBuilder().setPageToken(token).setLimit(limit).build());
    }

    private ConversationSettings setSettings(TestUser user, String deviceId, SetConversationSettings.Builder settings) {
        return as(router, user.token()).setConversationSettings(SetConversationSettingsRequest.newBuilder()
                .setDeviceId(deviceId).setSettings(settings).build());
    }

    private GroupsGrpc.GroupsBlockingStub groups(TestUser user) {
        return groups.withCallCredentials(GrpcAccessTokens.bearer(user.token())).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static ConversationSummary only(ConversationPage page) {
        assertEquals(1, page.getConversationsCount(), page.toString());
        return page.getConversations(0);
    }

    private static List<DeliveryEvent> settingsEvents(RecordingDeliveryHandlers.Recording node, String chat) {
        return node.events().stream().filter(e -> e.hasConversationSettings()
                && e.getConversationSettings().getConversationId().equals(chat)).toList();
    }

    /** The list orders by the millisecond clock: let it move between two messages. */
    private static void awaitTheClockMoving() {
        long before = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > before);
    }
}
