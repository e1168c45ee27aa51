package im.router.message;

import static im.router.RouterTestSupport.as;
import static im.router.RouterTestSupport.befriend;
import static im.router.RouterTestSupport.newClientMsgId;
import static im.router.RouterTestSupport.newUser;
import static im.router.RouterTestSupport.send;
import static im.router.RouterTestSupport.toGroup;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.grpc.GrpcErrors;
import im.common.testing.TestTokensResource;
import im.common.token.GrpcAccessTokens;
import im.protocol.client.Attachment;
import im.protocol.client.Content;
import im.protocol.client.ConversationIds;
import im.protocol.client.ConversationSummary;
import im.protocol.client.CustomContent;
import im.protocol.client.ErrorCode;
import im.protocol.client.FileContent;
import im.protocol.client.GetConversations;
import im.protocol.client.ImageContent;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.protocol.client.TextContent;
import im.protocol.router.CreateGroupRequest;
import im.protocol.router.Group;
import im.protocol.router.GroupsGrpc;
import im.protocol.router.MarkReadRequest;
import im.protocol.router.RouterGrpc;
import im.protocol.router.SendRequest;
import im.protocol.router.SyncRequest;
import im.protocol.user.UserDirectoryGrpc;
import im.router.RouterTestSupport.TestUser;
import im.router.media.TestImages;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Typed content and mentions: what a send may carry, how it is stored and read, and how mentions count. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class TypedMessagesTest {

    @GrpcClient("router")
    RouterGrpc.RouterBlockingStub router;

    @GrpcClient("router")
    GroupsGrpc.GroupsBlockingStub groups;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Test
    void typedContentIsStoredAndReadBackAsSentBesideMessagesThatCarryBodies() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        Content text = text("hello, bob");
        JsonPath png = upload(alice, chat, "image/png", TestImages.picture(800, 600, "png"));
        Content image = Content.newBuilder().setImage(ImageContent.newBuilder()
                .setImage(attachment(png.getString("blobId"), "cat.png", "image/png", png.getLong("size")))
                .setWidth(800).setHeight(600)
                .setThumbnail(attachment(png.getString("thumbnail.blobId"), "", "image/jpeg",
                        png.getLong("thumbnail.size")))).build();
        JsonPath pdf = upload(alice, chat, "application/pdf", new byte[1_200]);
        Content file = Content.newBuilder().setFile(FileContent.newBuilder()
                .setFile(attachment(pdf.getString("blobId"), "plan.pdf", "application/pdf", 1_200))).build();
        Content custom = Content.newBuilder().setCustom(CustomContent.newBuilder().setType("com.example.location/v1")
                .setData(ByteString.copyFromUtf8("52.52,13.40"))).build();

        as(router, alice.token()).send(send("desk", bob.id(), newClientMsgId(), "plain bytes"));
        for (Content content : List.of(text, image, file, custom)) {
            as(router, alice.token()).send(typed(bob.id(), content, List.of()));
        }

        List<Message> read = as(router, bob.token()).sync(SyncRequest.newBuilder()
                .setConversationId(chat).build()).getMessagesList();
        assertEquals("plain bytes", read.get(0).getBody().toStringUtf8());
        assertFalse(read.get(0).hasContent());
        assertEquals(List.of(text, image, file, custom), read.subList(1, 5).stream().map(Message::getContent).toList());
        assertTrue(read.subList(1, 5).stream().allMatch(m -> m.getBody().isEmpty()));
    }

    @Test
    void aSendWithBothOrNeitherBodyAndContent_orContentOutOfBounds_isRefusedAsInvalid() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        befriend(alice, bob);
        SendRequest both = typed(bob.id(), text("hi"), List.of());
        both = both.toBuilder().setSend(both.getSend().toBuilder().setBody(ByteString.copyFromUtf8("and bytes"))).build();
        List<SendRequest> refused = List.of(
                both,
                typed(bob.id(), Content.getDefaultInstance(), List.of()),
                typed(bob.id(), text("   "), List.of()),
                typed(bob.id(), text("x".repeat(4001)), List.of()),
                typed(bob.id(), Content.newBuilder().setCustom(CustomContent.newBuilder().setType("no spaces please"))
                        .build(), List.of()),
                typed(bob.id(), Content.newBuilder().setFile(FileContent.newBuilder()
                        .setFile(attachment("../etc/passwd", "x", "text/plain", 1))).build(), List.of()),
                typed(bob.id(), Content.newBuilder().setFile(FileContent.newBuilder()
                        .setFile(attachment("blob", "x", "text/plain", -1))).build(), List.of()));
        for (SendRequest request : refused) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> as(router, alice.token()).send(request));
            assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(e), request.getSend().toString());
        }
        String emoji = "\uD83D\uDE00".repeat(4000);
        assertEquals(1, as(router, alice.token()).send(typed(bob.id(), text(emoji), List.of())).getAck().getSeq(),
                "the limit counts characters, not UTF-16 units");
    }

    @Test
    void anAttachmentNotUploadedToTheConversation_isRefusedAsInvalid_andNothingIsStored() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        befriend(alice, bob);
        befriend(alice, carol);
        String withCarol = ConversationIds.privateChat(alice.id(), carol.id());
        String elsewhere = upload(alice, withCarol, "application/pdf", new byte[10]).getString("blobId");
        String owned = upload(alice, ConversationIds.privateChat(alice.id(), bob.id()), "application/pdf", new byte[10])
                .getString("blobId");

        for (String blobId : List.of(elsewhere, "never-uploaded", owned + "x")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as(router, alice.token())
                    .send(typed(bob.id(), Content.newBuilder().setFile(FileContent.newBuilder()
                            .setFile(attachment(blobId, "plan.pdf", "application/pdf", 10))).build(), List.of())));
            assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(e));
            assertEquals("attachment " + blobId + " was not uploaded to this conversation", GrpcErrors.messageOf(e));
        }
        // An image's thumbnail is checked as its image is.
        StatusRuntimeException thumbnail = assertThrows(StatusRuntimeException.class, () -> as(router, alice.token())
                .send(typed(bob.id(), Content.newBuilder().setImage(ImageContent.newBuilder()
                        .setImage(attachment(owned, "a.png", "image/png", 10))
                        .setThumbnail(attachment(elsewhere, "", "image/jpeg", 10))).build(), List.of())));
        assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(thumbnail));

        assertEquals(1, as(router, alice.token()).send(typed(bob.id(), Content.newBuilder().setFile(FileContent
                .newBuilder().setFile(attachment(owned, "plan.pdf", "application/pdf", 10))).build(), List.of()))
                .getAck().getSeq(), "the refused sends took no seq");
    }

    @Test
    void aMentionCountsInTheMentionedUsersListUntilReadAndAMentionOfAStrangerIsRefused() {
        TestUser alice = newUser(users);
        TestUser bob = newUser(users);
        TestUser carol = newUser(users);
        befriend(alice, bob);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());

        StatusRuntimeException stranger = assertThrows(StatusRuntimeException.class,
                () -> as(router, alice.token()).send(typed(bob.id(), text("hey carol"), List.of(carol.id()))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(stranger));

        as(router, alice.token()).send(typed(bob.id(), text("first"), List.of()));
        long mentioned = as(router, alice.token()).send(typed(bob.id(), text("@bob look"), List.of(bob.id(), alice.id())))
                .getAck().getSeq();
        as(router, alice.token()).send(typed(bob.id(), text("third"), List.of()));

        ConversationSummary bobs = summaryOf(bob);
        assertEquals(List.of(mentioned), bobs.getUnreadMentionSeqsList());
        Message stored = as(router, bob.token()).sync(SyncRequest.newBuilder().setConversationId(chat)
                .setAfterSeq(mentioned - 1).setLimit(1).build()).getMessages(0);
        assertEquals(List.of(bob.id()), stored.getMentionsList(), "the sender's mention of itself is dropped");
        assertEquals(List.of(), summaryOf(alice).getUnreadMentionSeqsList());

        as(router, bob.token()).markRead(MarkReadRequest.newBuilder().setDeviceId("phone").setConversationId(chat)
                .setUpToSeq(mentioned).build());
        assertEquals(List.of(), summaryOf(bob).getUnreadMentionSeqsList());
        assertEquals(1, summaryOf(bob).getUnread());
    }

    @Test
    void aGroupMessageMentionsMembersOnly() {
        TestUser owner = newUser(users);
        TestUser member = newUser(users);
        TestUser outsider = newUser(users);
        Group group = groups.withCallCredentials(GrpcAccessTokens.bearer(owner.token()))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createGroup(CreateGroupRequest.newBuilder().setName("team").addMemberIds(member.id()).build())
                .getGroup();

        SendRequest toOutsider = withMentions(toGroup("phone", group.getGroupId(), "psst"), List.of(outsider.id()));
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> as(router, owner.token()).send(toOutsider));
        assertEquals(ErrorCode.INVALID_ARGUMENT, GrpcErrors.codeOf(refused));

        long seq = as(router, owner.token()).send(withMentions(toGroup("phone", group.getGroupId(), "@member hi"),
                List.of(member.id()))).getAck().getSeq();
        assertEquals(List.of(seq), summaryOf(member).getUnreadMentionSeqsList());
        assertEquals(List.of(), summaryOf(outsider).getUnreadMentionSeqsList());
    }

    private ConversationSummary summaryOf(TestUser user) {
        List<ConversationSummary> listed = as(router, user.token()).pageConversations(GetConversations.getDefaultInstance())
                .getConversationsList();
        return listed.isEmpty() ? ConversationSummary.getDefaultInstance() : listed.get(0);
    }

    private static SendRequest typed(long to, Content content, List<Long> mentions) {
        return SendRequest.newBuilder().setDeviceId("desk").setSend(Send.newBuilder()
                .setClientMsgId(newClientMsgId()).setToUserId(to).setContent(content).addAllMentions(mentions)).build();
    }

    private static SendRequest withMentions(SendRequest request, List<Long> mentions) {
        return request.toBuilder().setSend(request.getSend().toBuilder().addAllMentions(mentions)).build();
    }

    private static Content text(String text) {
        return Content.newBuilder().setText(TextContent.newBuilder().setText(text)).build();
    }

    /** Uploads through the router's media API, as a client does before it sends. */
    private static JsonPath upload(TestUser user, String conversationId, String mimeType, byte[] bytes) {
        return given().auth().oauth2(user.token()).contentType(mimeType).body(bytes).post("/media/" + conversationId)
                .then().statusCode(201).extract().jsonPath();
    }

    private static Attachment attachment(String blobId, String name, String mime, long size) {
        return Attachment.newBuilder().setBlobId(blobId).setName(name).setMimeType(mime).setSize(size).build();
    }
}
