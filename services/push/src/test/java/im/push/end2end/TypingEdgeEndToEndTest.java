package im.push.end2end;

import static im.push.end2end.TestUsers.befriend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import im.common.testing.TestTokensResource;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.Typing;
import im.protocol.user.UserDirectoryGrpc;
import im.push.end2end.TestUsers.User;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Typing signals through the edge, the real router behind it: forwarded within the connection's
 * limit, published to the peer's devices, answered only when refused and asked with a request_id.
 * A connection has one signal with the router at a time, so its answers come in the order sent.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class TypingEdgeEndToEndTest {

    private static final int TCP_PORT = 17005;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    private static Frame typing(long requestId, String conversationId, boolean typing) {
        return Frame.newBuilder().setRequestId(requestId)
                .setTyping(Typing.newBuilder().setConversationId(conversationId).setTyping(typing)).build();
    }

    @Test
    void aFriendsBurstReachesThePeerAsOneStartAndItsStop_andTheTyperHearsNothingBack() throws Exception {
        User alice = TestUsers.create(users, "typing");
        User bob = TestUsers.create(users, "typing");
        befriend(alice, bob);
        String chat = ConversationIds.privateChat(alice.id(), bob.id());
        try (TcpDevice alicePhone = new TcpDevice(TCP_PORT); TcpDevice bobPhone = new TcpDevice(TCP_PORT)) {
            alicePhone.hello(1, alice.token(), "alice-phone");
            bobPhone.hello(1, bob.token(), "bob-phone");

            for (int keystroke = 0; keystroke < 5; keystroke++) {
                alicePhone.send(typing(0, chat, true));
            }
            alicePhone.send(typing(9, chat, false));

            Frame start = bobPhone.take(Frame.BodyCase.TYPING);
            assertEquals(0, start.getRequestId());
            assertEquals(Typing.newBuilder().setConversationId(chat).setUserId(alice.id()).setTyping(true).build(),
                    start.getTyping());
            Frame stop = bobPhone.take(Frame.BodyCase.TYPING);
            assertFalse(stop.getTyping().getTyping(), "the stop follows its start, the repeats were dropped");
            assertEquals(List.of(), bobPhone.receivedSoFar(Frame.BodyCase.TYPING));
            assertEquals(List.of(), alicePhone.receivedSoFar(Frame.BodyCase.TYPING));
            assertEquals(List.of(), alicePhone.receivedSoFar(Frame.BodyCase.ERROR));
        }
    }

    @Test
    void aStrangersTypingIsRefusedNotFriends_onlyWhenItCarriesARequestId() throws Exception {
        User stranger = TestUsers.create(users, "typing");
        User bob = TestUsers.create(users, "typing");
        User carol = TestUsers.create(users, "typing");
        try (TcpDevice strangerPhone = new TcpDevice(TCP_PORT); TcpDevice bobPhone = new TcpDevice(TCP_PORT)) {
            strangerPhone.hello(1, stranger.token(), "phone");
            bobPhone.hello(1, bob.token(), "bob-phone");

            strangerPhone.send(typing(0, ConversationIds.privateChat(stranger.id(), bob.id()), true));
            strangerPhone.send(typing(7, ConversationIds.privateChat(stranger.id(), carol.id()), true));

            Frame refused = strangerPhone.answerTo(7);
            assertEquals(ErrorCode.NOT_FRIENDS, refused.getError().getCode());
            assertEquals(List.of(), strangerPhone.receivedSoFar(Frame.BodyCase.ERROR),
                    "the refusal of the signal without a request_id, answered before, was not told");
            assertEquals(List.of(), bobPhone.receivedSoFar(Frame.BodyCase.TYPING));
            assertFalse(strangerPhone.isClosed());
        }
    }
}
