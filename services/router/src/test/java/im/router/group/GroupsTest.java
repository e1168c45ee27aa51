package im.router.group;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.toGroup;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.grpc.GrpcErrors;
import im.common.testing.TestTokensResource;
import im.common.token.GrpcAccessTokens;
import im.protocol.client.ConversationCursor;
import im.protocol.client.ErrorCode;
import im.protocol.client.GroupEvent;
import im.protocol.client.GroupRole;
import im.protocol.client.JoinPolicy;
import im.protocol.client.Message;
import im.protocol.client.ReadCount;
import im.protocol.client.ReadReceipt;
import im.protocol.client.Receipts;
import im.protocol.client.Send;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.GetReceiptsRequest;
import im.protocol.router.Group;
import im.protocol.router.GroupMember;
import im.protocol.router.GroupChangeResponse;
import im.protocol.router.GroupMembersRequest;
import im.protocol.router.GroupRequest;
import im.protocol.router.GroupsGrpc;
import im.protocol.router.JoinRequest;
import im.protocol.router.ListConversationsRequest;
import im.protocol.router.ListMembersRequest;
import im.protocol.router.ListMembersResponse;
import im.protocol.router.ListMyGroupsRequest;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.router.SetGroupMutedRequest;
import im.protocol.router.SetMembersMutedRequest;
import im.protocol.router.SetRoleRequest;
import im.protocol.router.SyncRequest;
import im.protocol.router.SyncResponse;
import im.protocol.router.TransferOwnershipRequest;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Groups and group sends through the router's gRPC API, on the real database. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class GroupsTest {

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("router")
    GroupsGrpc.GroupsBlockingStub groups;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Test
    void groupMessageTakesTheGroupsNextSeqAfterItsCreationAndEveryMemberReadsIt() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        Group group = create(alice, "trip", bob, carol);

        SendResponse sent = as(router, alice.token()).send(toGroup("phone", group.getGroupId(), "hello all"));

        assertEquals(group.getConversationId(), sent.getAck().getConversationId());
        assertEquals(2, sent.getAck().getSeq());
        for (TestUser member : List.of(alice, bob, carol)) {
            List<Message> history = sync(member, group.getConversationId(), 0).getMessagesList();
            assertEquals(2, history.size());
            assertEquals(GroupEvent.Kind.CREATED, history.get(0).getGroupEvent().getKind());
            assertEquals(List.of(bob.id(), carol.id()), history.get(0).getGroupEvent().getUserIdsList());
            assertEquals("hello all", history.get(1).getBody().toStringUtf8());
        }
        assertEquals(GroupRole.OWNER, group.getMyRole());
        assertEquals(3, group.getMemberCount());
    }

    @Test
    void resentGroupMessageIsStoredOnce() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        Group group = create(alice, "pair", bob);
        SendRequest send = toGroup("phone", group.getGroupId(), "once");

        SendResponse first = as(router, bob.token()).send(send);
        SendResponse again = as(router, bob.token()).send(send);

        assertTrue(again.getDuplicate());
        assertEquals(first.getAck(), again.getAck());
        assertEquals(2, sync(alice, group.getConversationId(), 0).getMessagesCount());
    }

    @Test
    void nonMemberIsRefusedWithPermissionDeniedAndUnknownGroupAsUnknown() {
        TestUser alice = newUser(users);
        TestUser mallory = newUser(users);
        Group group = create(alice, "closed");

        assertRefused(ErrorCode.PERMISSION_DENIED, "not a member of this group",
                () -> as(router, mallory.token()).send(toGroup("laptop", group.getGroupId(), "let me in")));
        assertRefused(ErrorCode.UNKNOWN_CONVERSATION, "no such group",
                () -> as(router, alice.token()).send(toGroup("phone", group.getGroupId() + 1_000_000, "anyone?")));
        assertRefused(ErrorCode.UNKNOWN_CONVERSATION, null,
                () -> sync(mallory, group.getConversationId(), 0));
    }

    @Test
    void mutedMemberIsRefusedUntilUnmuted_andAMutedGroupHearsOnlyItsAdmins() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        Group group = create(alice, "quiet", bob);
        as(router, bob.token()).send(toGroup("phone", group.getGroupId(), "before"));

        groups(alice).setMembersMuted(SetMembersMutedRequest.newBuilder().setGroupId(group.getGroupId())
                .addUserIds(bob.id()).setMuted(true).build());
        assertRefused(ErrorCode.PERMISSION_DENIED, "you are muted in this group",
                () -> as(router, bob.token()).send(toGroup("phone", group.getGroupId(), "muted?")));
        groups(alice).setMembersMuted(SetMembersMutedRequest.newBuilder().setGroupId(group.getGroupId())
                .addUserIds(bob.id()).setMuted(false).build());
        as(router, bob.token()).send(toGroup("phone", group.getGroupId(), "back"));

        groups(alice).setGroupMuted(SetGroupMutedRequest.newBuilder()
                .setGroupId(group.getGroupId()).setMuted(true).build());
        assertRefused(ErrorCode.PERMISSION_DENIED, "the group is muted: only its owner and admins send",
                () -> as(router, bob.token()).send(toGroup("phone", group.getGroupId(), "still?")));
        as(router, alice.token()).send(toGroup("phone", group.getGroupId(), "announcement"));
    }

    @Test
    void removedMemberCannotSendOnceItsRemovalIsAnswered_andReadsNothingAfterIt() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        Group group = create(alice, "team", bob, carol);
        // Bob's sends warm the router's memory of the group: the removal must still count at once.
        as(router, bob.token()).send(toGroup("phone", group.getGroupId(), "one"));
        as(router, bob.token()).send(toGroup("phone", group.getGroupId(), "two"));

        long removedAt = groups(alice).removeMembers(GroupMembersRequest.newBuilder()
                .setGroupId(group.getGroupId()).addUserIds(bob.id()).build()).getSeq();

        assertRefused(ErrorCode.PERMISSION_DENIED, "not a member of this group",
                () -> as(router, bob.token()).send(toGroup("phone", group.getGroupId(), "three")));
        as(router, carol.token()).send(toGroup("phone", group.getGroupId(), "after bob"));
        SyncResponse bobs = sync(bob, group.getConversationId(), 0);
        assertEquals(removedAt, bobs.getLastSeq());
        Message last = bobs.getMessages(bobs.getMessagesCount() - 1);
        assertEquals(removedAt, last.getSeq());
        assertEquals(GroupEvent.Kind.REMOVED, last.getGroupEvent().getKind());
        assertEquals(removedAt, behindOf(bob, group.getConversationId()));
        assertEquals(removedAt + 1, behindOf(carol, group.getConversationId()));
        assertRefused(ErrorCode.UNKNOWN_CONVERSATION, null, () -> groups(bob).getGroup(byId(group)));
    }

    @Test
    void joinerReadsFromItsJoining_andLeaverUpToItsLeaving() {
        TestUser alice = newUser(users);
        TestUser dave = newUser(users);
        Group group = create(alice, "open house", JoinPolicy.OPEN);
        as(router, alice.token()).send(toGroup("phone", group.getGroupId(), "before dave"));

        long joinedAt = groups(dave).join(byId(group)).getSeq();
        as(router, dave.token()).send(toGroup("phone", group.getGroupId(), "hi, dave here"));
        SyncResponse daves = sync(dave, group.getConversationId(), 0);
        assertEquals(joinedAt, daves.getFirstSeq());
        assertEquals(List.of(joinedAt, joinedAt + 1), daves.getMessagesList().stream().map(Message::getSeq).toList());
        assertEquals(GroupEvent.Kind.JOINED, daves.getMessages(0).getGroupEvent().getKind());

        long leftAt = groups(dave).leave(byId(group)).getSeq();
        as(router, alice.token()).send(toGroup("phone", group.getGroupId(), "after dave"));
        SyncResponse afterLeaving = sync(dave, group.getConversationId(), 0);
        assertEquals(leftAt, afterLeaving.getLastSeq());
        assertEquals(leftAt, afterLeaving.getMessages(afterLeaving.getMessagesCount() - 1).getSeq());
        assertEquals(1, sync(alice, group.getConversationId(), 0).getFirstSeq());
    }

    @Test
    void askingToJoinAnApprovalGroupWaitsForAnAdmin_whoApprovesOrRejects() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser frank = newUser(users);
        TestUser gina = newUser(users);
        Group group = create(alice, "by approval", JoinPolicy.APPROVAL, bob);

        GroupChangeResponse asked = groups(frank).join(byId(group));
        assertTrue(asked.getPending());
        assertEquals(0, asked.getSeq(), "nothing enters the timeline yet");
        assertTrue(groups(frank).join(byId(group)).getPending(), "asking again changes nothing");
        groups(gina).join(byId(group));
        assertRefused(ErrorCode.PERMISSION_DENIED, "not a member of this group",
                () -> as(router, frank.token()).send(toGroup("phone", group.getGroupId(), "am I in?")));
        assertRefused(ErrorCode.PERMISSION_DENIED, "only the owner and admins see requests to join",
                () -> groups(bob).listJoinRequests(byId(group)));
        assertEquals(List.of(frank.id(), gina.id()), groups(alice).listJoinRequests(byId(group)).getRequestsList()
                .stream().map(JoinRequest::getUserId).toList());

        long joinedAt = groups(alice).approveJoin(GroupMembersRequest.newBuilder().setGroupId(group.getGroupId())
                .addUserIds(frank.id()).addUserIds(bob.id()).build()).getSeq();
        groups(alice).rejectJoin(GroupMembersRequest.newBuilder().setGroupId(group.getGroupId())
                .addUserIds(gina.id()).build());

        assertTrue(joinedAt > 0);
        Message joined = sync(frank, group.getConversationId(), 0).getMessages(0);
        assertEquals(GroupEvent.Kind.JOINED, joined.getGroupEvent().getKind());
        assertEquals(List.of(frank.id()), joined.getGroupEvent().getUserIdsList(), "only who asked joins");
        as(router, frank.token()).send(toGroup("phone", group.getGroupId(), "thanks for having me"));
        assertEquals(List.of(), groups(alice).listJoinRequests(byId(group)).getRequestsList());
        assertRefused(ErrorCode.UNKNOWN_CONVERSATION, null, () -> groups(gina).getGroup(byId(group)));
    }

    @Test
    void rolesDecideWhoChangesWhat() {
        TestUser owner = newUser(users);
        TestUser admin = newUser(users);
        TestUser otherAdmin = newUser(users);
        TestUser member = newUser(users);
        Group group = create(owner, "roles", admin, otherAdmin, member);
        groups(owner).setRole(SetRoleRequest.newBuilder().setGroupId(group.getGroupId())
                .addUserIds(admin.id()).addUserIds(otherAdmin.id()).setRole(GroupRole.ADMIN).build());

        assertRefused(ErrorCode.PERMISSION_DENIED, "only the owner and admins remove members",
                () -> groups(member).removeMembers(remove(group, admin)));
        assertRefused(ErrorCode.PERMISSION_DENIED, "you may not remove a member whose role is admin (yours: admin)",
                () -> groups(admin).removeMembers(remove(group, otherAdmin)));
        assertRefused(ErrorCode.PERMISSION_DENIED, "only the owner and admins add members to this group",
                () -> groups(member).addMembers(GroupMembersRequest.newBuilder().setGroupId(group.getGroupId())
                        .addUserIds(newUser(users).id()).build()));
        assertRefused(ErrorCode.PERMISSION_DENIED, "the owner cannot leave: transfer ownership first, or dissolve the group",
                () -> groups(owner).leave(byId(group)));
        assertTrue(groups(admin).removeMembers(remove(group, member)).getSeq() > 0);

        groups(owner).transferOwnership(TransferOwnershipRequest.newBuilder().setGroupId(group.getGroupId())
                .setNewOwnerId(admin.id()).build());
        assertEquals(GroupRole.ADMIN, groups(owner).getGroup(byId(group)).getGroup().getMyRole());
        assertEquals(admin.id(), groups(owner).getGroup(byId(group)).getGroup().getOwnerId());
        assertTrue(groups(owner).leave(byId(group)).getSeq() > 0);

        groups(admin).dissolve(byId(group));
        assertRefused(ErrorCode.PERMISSION_DENIED, "the group is dissolved",
                () -> as(router, otherAdmin.token()).send(toGroup("phone", group.getGroupId(), "hello?")));
    }

    @Test
    void myGroupsAndMembersAreListedInPages() {
        TestUser alice = newUser(users);
        List<TestUser> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(newUser(users));
        }
        Group first = create(alice, "first", others.toArray(TestUser[]::new));
        Group second = create(others.get(0), "second", alice);

        List<Group> mine = groups(alice).listMyGroups(ListMyGroupsRequest.getDefaultInstance()).getGroupsList();
        assertEquals(List.of(first.getGroupId(), second.getGroupId()).stream().sorted().toList(),
                mine.stream().map(Group::getGroupId).sorted().toList());

        List<Long> listed = new ArrayList<>();
        long after = 0;
        boolean more = true;
        while (more) {
            ListMembersResponse page = groups(others.get(3)).listMembers(ListMembersRequest.newBuilder()
                    .setGroupId(first.getGroupId()).setAfterUserId(after).setLimit(2).build());
            page.getMembersList().forEach(member -> listed.add(member.getUserId()));
            after = page.getMembers(page.getMembersCount() - 1).getUserId();
            more = page.getHasMore();
        }
        List<Long> expected = new ArrayList<>(others.stream().map(TestUser::id).toList());
        expected.add(alice.id());
        assertEquals(expected.stream().sorted().toList(), listed);
        GroupMember owner = groups(alice).listMembers(ListMembersRequest.newBuilder()
                .setGroupId(first.getGroupId()).build()).getMembersList().stream()
                .filter(member -> member.getUserId() == alice.id()).findFirst().orElseThrow();
        assertEquals(GroupRole.OWNER, owner.getRole());
        assertFalse(groups(alice).listMembers(ListMembersRequest.newBuilder().setGroupId(first.getGroupId())
                .build()).getHasMore());
    }

    @Test
    void readsAreCountedPerCursor_andASenderLearnsWhoReadItsOwnMessage() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        TestUser dave = newUser(users);
        Group group = create(alice, "readers", bob, carol, dave);
        long seq = as(router, alice.token()).send(toGroup("phone", group.getGroupId(), "read me")).getAck().getSeq();

        markRead(bob, group, seq);
        markRead(carol, group, seq - 1);

        Receipts receipts = as(router, alice.token()).getReceipts(GetReceiptsRequest.newBuilder()
                .setConversationId(group.getConversationId()).setReadersOfSeq(seq).build()).getReceipts();
        assertEquals(List.of(ReadCount.newBuilder().setUpToSeq(seq - 1).setMembers(1).build(),
                ReadCount.newBuilder().setUpToSeq(seq).setMembers(1).build()), receipts.getReadCountsList());
        assertEquals(1, receipts.getReadersTotal());
        assertEquals(List.of(bob.id()), receipts.getReadersList());
        assertEquals(List.of(bob.id(), carol.id(), dave.id()),
                receipts.getReadList().stream().map(ReadReceipt::getReaderId).sorted().toList(),
                "a small group lists every other member");
        assertRefused(ErrorCode.PERMISSION_DENIED, "readers are named for your own messages only",
                () -> as(router, bob.token()).getReceipts(GetReceiptsRequest.newBuilder()
                        .setConversationId(group.getConversationId()).setReadersOfSeq(seq).build()));
    }

    @Test
    void memberOfManyGroupsIsToldExactlyThoseWithNewMessagesAndHowMany_withoutTheMessages() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        List<Group> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(create(bob, "g" + i, alice));
        }
        // Alice's device holds every group up to its creation; bob writes in every tenth.
        ListConversationsRequest.Builder held = ListConversationsRequest.newBuilder();
        many.forEach(group -> held.addCursors(ConversationCursor.newBuilder()
                .setConversationId(group.getConversationId()).setLastSeq(1)));
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < many.size(); i += 10) {
            Group group = many.get(i);
            int count = 1 + i % 3;
            for (int m = 0; m < count; m++) {
                as(router, bob.token()).send(toGroup("phone", group.getGroupId(), "news " + m));
            }
            expected.put(group.getConversationId(), (long) count);
        }

        List<ConversationCursor> behind = as(router, alice.token()).listConversations(held.build()).getBehindList();

        assertEquals(expected, behind.stream().collect(Collectors.toMap(
                ConversationCursor::getConversationId, ConversationCursor::getNewMessages, (a, b) -> a, TreeMap::new)));
        behind.forEach(cursor -> assertEquals(1 + cursor.getNewMessages(), cursor.getLastSeq()));
    }

    @Test
    void aJoinersSummaryCountsFromItsJoining() {
        TestUser alice = newUser(users);
        TestUser erin = newUser(users);
        Group group = create(alice, "late", JoinPolicy.OPEN);
        for (int i = 0; i < 5; i++) {
            as(router, alice.token()).send(toGroup("phone", group.getGroupId(), "early " + i));
        }
        groups(erin).join(byId(group));
        as(router, alice.token()).send(toGroup("phone", group.getGroupId(), "welcome"));

        assertEquals(2, as(router, erin.token()).listConversations(ListConversationsRequest.getDefaultInstance())
                .getBehindList().stream().filter(cursor -> cursor.getConversationId().equals(group.getConversationId()))
                .findFirst().orElseThrow().getNewMessages(), "her joining and the welcome");
    }

    private void markRead(TestUser user, Group group, long upToSeq) {
        as(router, user.token()).markRead(MarkReadRequest.newBuilder().setDeviceId("phone")
                .setConversationId(group.getConversationId()).setUpToSeq(upToSeq).build());
    }

    private Group create(TestUser owner, String name, TestUser... members) {
        return create(owner, name, JoinPolicy.ADMINS_INVITE, members);
    }

    private Group create(TestUser owner, String name, JoinPolicy policy, TestUser... members) {
        CreateGroupRequest.Builder request = CreateGroupRequest.newBuilder().setName(name).setJoinPolicy(policy);
        for (TestUser member : members) {
            request.addMemberIds(member.id());
        }
        return groups(owner).createGroup(request.build()).getGroup();
    }

    private GroupsGrpc.GroupsBlockingStub groups(TestUser user) {
        return groups.withCallCredentials(GrpcAccessTokens.bearer(user.token())).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private SyncResponse sync(TestUser user, String conversationId, long afterSeq) {
        return as(router, user.token()).sync(SyncRequest.newBuilder().setConversationId(conversationId)
                .setAfterSeq(afterSeq).build());
    }

    private long behindOf(TestUser user, String conversationId) {
        return as(router, user.token()).listConversations(ListConversationsRequest.getDefaultInstance())
                .getBehindList().stream().filter(cursor -> cursor.getConversationId().equals(conversationId))
                .mapToLong(ConversationCursor::getLastSeq).findFirst().orElse(-1);
    }

    private static GroupRequest byId(Group group) {
        return GroupRequest.newBuilder().setGroupId(group.getGroupId()).build();
    }

    private static GroupMembersRequest remove(Group group, TestUser user) {
        return GroupMembersRequest.newBuilder().setGroupId(group.getGroupId()).addUserIds(user.id()).build();
    }

    private static void assertRefused(ErrorCode code, String message, Supplier<?> call) {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call::get);
        assertEquals(code, GrpcErrors.codeOf(refused));
        if (message != null) {
            assertEquals(message, GrpcErrors.messageOf(refused));
        }
    }
}
