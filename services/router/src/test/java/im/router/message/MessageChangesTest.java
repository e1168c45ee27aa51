package im.router.message;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.count;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.toGroup;
import static im.router.RouterTestSupport.update;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.grpc.GrpcErrors;
import im.common.presence.PresenceRegistry;
import im.common.testing.TestTokensResource;
import im.common.token.GrpcAccessTokens;
import im.protocol.client.Content;
import im.protocol.client.ConversationIds;
import im.protocol.client.ConversationSummary;
import im.protocol.client.ErrorCode;
import im.protocol.client.GetConversations;
import im.protocol.client.HideMessages;
import im.protocol.client.Message;
import im.protocol.client.MessageChange;
import im.protocol.client.MessagesHidden;
import im.protocol.client.Send;
import im.protocol.client.TextContent;
import im.protocol.delivery.DeliveryEvent;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.Group;
import im.protocol.router.GroupsGrpc;
import im.protocol.router.HideMessagesRequest;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendRequest;
import im.protocol.router.SendResponse;
import im.protocol.router.SyncRequest;
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
 * Recalls, edits and "delete for me": each change is a message of the timeline, the recalled
 * content leaves storage, and a hidden message says nothing to the user who hid it.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class MessageChangesTest {

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
    RecordingDeliveryHandlers.NodeB nodeB;

    @Test
    void aRecallIsATimelineMessage_andTheRecalledMessageSaysNothingAnyMoreInStorage() throws Exception {
        Chat chat = chat();
        SendResponse secret = as(router, chat.alice().token()).send(text(chat.bob().id(), "the code is 1234", chat.bob().id()));

        SendResponse recall = as(router, chat.alice().token()).send(change(chat.bob().id(), MessageChange.Kind.RECALLED,
                secret.getAck().getSeq(), null));

        List<Message> read = sync(chat.bob(), chat.id());
        Message recalled = read.get(0);
        assertTrue(recalled.getRecalled());
        assertTrue(recalled.getBody().isEmpty());
        assertFalse(recalled.hasContent());
        assertEquals(List.of(), recalled.getMentionsList());
        Message change = read.get(1);
        assertEquals(recall.getAck().getSeq(), change.getSeq());
        assertEquals(MessageChange.Kind.RECALLED, change.getChange().getKind());
        assertEquals(secret.getAck().getSeq(), change.getChange().getTargetSeq());
        assertEquals(secret.getAck().getMsgId(), change.getChange().getTargetMsgId());
        assertEquals(0, count(db, "SELECT COUNT(*) FROM message WHERE msg_id = ? AND LENGTH(body) > 0",
                secret.getAck().getMsgId()), "the body is gone from storage");
        assertEquals(0, count(db, "SELECT COUNT(*) FROM mention WHERE conversation_id = ?", chat.id()));

        ConversationSummary bobs = summaryOf(chat.bob());
        assertEquals(1, bobs.getUnread(), "the recall itself is not an unread message");
        assertEquals(List.of(change.getSeq()), bobs.getUnreadChangeSeqsList());
        assertEquals(List.of(), bobs.getUnreadMentionSeqsList());

        StatusRuntimeException again = assertThrows(StatusRuntimeException.class, () -> as(router,
                chat.alice().token()).send(change(chat.bob().id(), MessageChange.Kind.RECALLED, secret.getAck().getSeq(), null)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(again));
    }

    @Test
    void onlyTheSenderRecallsInAPrivateChat_andOnlyWithinTheWindow_andAResentRecallIsAnsweredOnce() throws Exception {
        Chat chat = chat();
        SendResponse first = as(router, chat.alice().token()).send(text(chat.bob().id(), "first"));
        SendResponse second = as(router, chat.alice().token()).send(text(chat.bob().id(), "second"));

        StatusRuntimeException notHers = assertThrows(StatusRuntimeException.class, () -> as(router,
                chat.bob().token()).send(change(chat.alice().id(), MessageChange.Kind.RECALLED, first.getAck().getSeq(), null)));
        assertEquals(ErrorCode.PERMISSION_DENIED, GrpcErrors.codeOf(notHers));

        update(db, "UPDATE message SET created_at = created_at - 600000 WHERE msg_id = ?", first.getAck().getMsgId());
        StatusRuntimeException late = assertThrows(StatusRuntimeException.class, () -> as(router,
                chat.alice().token()).send(change(chat.bob().id(), MessageChange.Kind.RECALLED, first.getAck().getSeq(), null)));
        assertEquals(ErrorCode.PERMISSION_DENIED, GrpcErrors.codeOf(late));
        assertTrue(GrpcErrors.messageOf(late).contains("recall window"), GrpcErrors.messageOf(late));

        SendRequest recall = change(chat.bob().id(), MessageChange.Kind.RECALLED, second.getAck().getSeq(), null);
        SendResponse once = as(router, chat.alice().token()).send(recall);
        SendResponse twice = as(router, chat.alice().token()).send(recall);
        assertTrue(twice.getDuplicate());
        assertEquals(once.getAck(), twice.getAck());

        for (long seq : List.of(99L, 0L)) {
            StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> as(router,
                    chat.alice().token()).send(change(chat.bob().id(), MessageChange.Kind.RECALLED, seq, null)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(missing));
        }
    }

    @Test
    void aGroupAdminRecallsAnyMessageAtAnyTime_aMemberOnlyItsOwn_andASystemMessageNever() throws Exception {
        TestUser owner = newUser(users);
        TestUser member = newUser(users);
        TestUser other = newUser(users);
        Group group = groups.withCallCredentials(GrpcAccessTokens.bearer(owner.token())).withDeadlineAfter(30, TimeUnit.SECONDS)
                .createGroup(CreateGroupRequest.newBuilder().setName("mods").addMemberIds(member.id())
                        .addMemberIds(other.id()).build()).getGroup();
        SendResponse rude = as(router, member.token()).send(toGroup("phone", group.getGroupId(), "something rude"));
        update(db, "UPDATE message SET created_at = created_at - 86400000 WHERE msg_id = ?", rude.getAck().getMsgId());

        StatusRuntimeException byOther = assertThrows(StatusRuntimeException.class, () -> as(router, other.token())
                .send(groupChange(group.getGroupId(), MessageChange.Kind.RECALLED, rude.getAck().getSeq(), null)));
        assertEquals(ErrorCode.PERMISSION_DENIED, GrpcErrors.codeOf(byOther));
        StatusRuntimeException creation = assertThrows(StatusRuntimeException.class, () -> as(router, owner.token())
                .send(groupChange(group.getGroupId(), MessageChange.Kind.RECALLED, 1, null)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(creation));

        as(router, owner.token()).send(groupChange(group.getGroupId(), MessageChange.Kind.RECALLED, rude.getAck().getSeq(), null));
        assertTrue(sync(other, group.getConversationId()).get((int) rude.getAck().getSeq() - 1).getRecalled());
    }

    @Test
    void editsFollowTheMessageInOrder_andARecallRemovesTheEditedTextsToo() throws Exception {
        Chat chat = chat();
        SendResponse typo = as(router, chat.alice().token()).send(text(chat.bob().id(), "see you at 7"));
        long target = typo.getAck().getSeq();
        as(router, chat.alice().token()).send(change(chat.bob().id(), MessageChange.Kind.EDITED, target, textContent("see you at 8")));
        as(router, chat.alice().token()).send(change(chat.bob().id(), MessageChange.Kind.EDITED, target, textContent("see you at 9")));

        StatusRuntimeException notHis = assertThrows(StatusRuntimeException.class, () -> as(router, chat.bob().token())
                .send(change(chat.alice().id(), MessageChange.Kind.EDITED, target, textContent("at 10"))));
        assertEquals(ErrorCode.PERMISSION_DENIED, GrpcErrors.codeOf(notHis));

        List<Message> read = sync(chat.bob(), chat.id());
        assertEquals(List.of("see you at 8", "see you at 9"), read.subList(1, 3).stream()
                .map(m -> m.getChange().getContent().getText().getText()).toList());
        assertEquals("see you at 7", read.get(0).getContent().getText().getText(), "the original row is kept");
        assertEquals(2, summaryOf(chat.bob()).getUnreadChangeSeqsCount());
        assertEquals(1, summaryOf(chat.bob()).getUnread());

        as(router, chat.alice().token()).send(change(chat.bob().id(), MessageChange.Kind.RECALLED, target, null));
        List<Message> after = sync(chat.bob(), chat.id());
        assertTrue(after.get(0).getRecalled());
        assertTrue(after.subList(1, 3).stream().allMatch(m -> m.getChange().getKind() == MessageChange.Kind.EDITED
                && !m.getChange().hasContent()), "the edits' texts are gone too");
    }

    @Test
    void aHiddenMessageSaysNothingToTheUserWhoHidItOnly_andItsOtherDevicesHearOfIt() throws Exception {
        Chat chat = chat();
        long seq = as(router, chat.alice().token()).send(text(chat.bob().id(), "embarrassing")).getAck().getSeq();
        as(router, chat.alice().token()).send(text(chat.bob().id(), "fine"));
        presence.connect(chat.bob().id(), "bob-laptop", "push-b");

        MessagesHidden hidden = as(router, chat.bob().token()).hideMessages(HideMessagesRequest.newBuilder()
                .setDeviceId("bob-phone").setHide(HideMessages.newBuilder().setConversationId(chat.id()).addSeqs(seq)).build());
        assertEquals(List.of(seq), hidden.getSeqsList());

        Message bobsView = sync(chat.bob(), chat.id()).get(0);
        assertTrue(bobsView.getHidden());
        assertTrue(bobsView.getBody().isEmpty() && !bobsView.hasContent());
        assertEquals("embarrassing", sync(chat.alice(), chat.id()).get(0).getContent().getText().getText());
        List<DeliveryEvent> toLaptop = await().atMost(Duration.ofSeconds(20)).until(() -> nodeB.events().stream()
                .filter(e -> e.hasMessagesHidden() && e.getMessagesHidden().getConversationId().equals(chat.id())).toList(),
                events -> !events.isEmpty());
        assertEquals(hidden, toLaptop.get(0).getMessagesHidden());

        for (long bad : List.of(3L, 0L)) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> as(router,
                    chat.bob().token()).hideMessages(HideMessagesRequest.newBuilder().setDeviceId("bob-phone")
                    .setHide(HideMessages.newBuilder().setConversationId(chat.id()).addSeqs(bad)).build()));
            assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(refused));
        }
        TestUser stranger = newUser(users);
        StatusRuntimeException outsider = assertThrows(StatusRuntimeException.class, () -> as(router, stranger.token())
                .hideMessages(HideMessagesRequest.newBuilder().setDeviceId("phone")
                        .setHide(HideMessages.newBuilder().setConversationId(chat.id()).addSeqs(seq)).build()));
        assertEquals(ErrorCode.UNKNOWN_CONVERSATION, GrpcErrors.codeOf(outsider));
    }

    private record Chat(TestUser alice, TestUser bob, String id) {
    }

    private Chat chat() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        return new Chat(alice, bob, ConversationIds.privateChat(alice.id(), bob.id()));
    }

    private List<Message> sync(TestUser user, String conversation) {
        return as(router, user.token()).sync(SyncRequest.newBuilder().setConversationId(conversation).build())
                .getMessagesList();
    }

    private ConversationSummary summaryOf(TestUser user) {
        return as(router, user.token()).pageConversations(GetConversations.getDefaultInstance()).getConversations(0);
    }

    private static Content textContent(String text) {
        return Content.newBuilder().setText(TextContent.newBuilder().setText(text)).build();
    }

    private static SendRequest text(long to, String text, Long... mentions) {
        return SendRequest.newBuilder().setDeviceId("desk").setSend(Send.newBuilder().setClientMsgId(newClientMsgId())
                .setToUserId(to).setContent(textContent(text)).addAllMentions(List.of(mentions))).build();
    }

    private static SendRequest change(long to, MessageChange.Kind kind, long targetSeq, Content content) {
        return SendRequest.newBuilder().setDeviceId("desk").setSend(Send.newBuilder().setClientMsgId(newClientMsgId())
                .setToUserId(to).setChange(changeOf(kind, targetSeq, content))).build();
    }

    private static SendRequest groupChange(long groupId, MessageChange.Kind kind, long targetSeq, Content content) {
        return SendRequest.newBuilder().setDeviceId("desk").setSend(Send.newBuilder().setClientMsgId(newClientMsgId())
                .setGroupId(groupId).setChange(changeOf(kind, targetSeq, content))).build();
    }

    private static MessageChange.Builder changeOf(MessageChange.Kind kind, long targetSeq, Content content) {
        MessageChange.Builder change = MessageChange.newBuilder().setKind(kind).setTargetSeq(targetSeq);
        return content == null ? change : change.setContent(content);
    }
}
