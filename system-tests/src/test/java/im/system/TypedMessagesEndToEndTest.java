package im.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.StandaloneProcess;
import im.client.sdk.ConversationView;
import im.client.sdk.GroupView;
import im.client.sdk.ImErrorException;
import im.protocol.client.ConversationSummary;
import im.protocol.client.ErrorCode;
import im.protocol.client.JoinPolicy;
import im.protocol.client.Message;
import im.protocol.client.SendAck;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Text messages and mentions through the real SDK and the real standalone process: the text
 * arrives typed on every member's device, a mention counts on the mentioned member's conversation
 * list (live and from the server) until it reads past it, and a mention of a non-member is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedMessagesEndToEndTest {

    private static final Duration LIVE = Duration.ofSeconds(20);

    private StandaloneProcess server;

    @BeforeAll
    void startServer() throws Exception {
        server = new StandaloneProcess("typed").start();
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aGroupTextMentioningAMemberCountsForThatMemberOnlyUntilItReads_andAStrangerCannotBeMentioned()
            throws Exception {
        Account alice = Accounts.signUp(server.rest(), "alice");
        Account bob = Accounts.signUp(server.rest(), "bob");
        Account carol = Accounts.signUp(server.rest(), "carol");
        Account mallory = Accounts.signUp(server.rest(), "mallory");
        GroupView group = server.rest().createGroup(alice.accessToken(), "plans",
                List.of(bob.userId(), carol.userId()), JoinPolicy.ADMINS_INVITE);
        String conversation = group.conversationId();

        try (Device alicePhone = Devices.connect(server.tcp(), alice.accessToken(), "phone");
                Device bobPhone = Devices.connect(server.webSocket(), bob.accessToken(), "phone");
                Device carolPhone = Devices.connect(server.tcp(), carol.accessToken(), "phone")) {
            SendAck sent = alicePhone.client.sendTextToGroup(group.groupId(), "@bob can you book it?", bob.userId())
                    .get(20, TimeUnit.SECONDS);

            Message atBob = await().atMost(LIVE).until(() -> shownAt(bobPhone, sent.getSeq()), m -> m != null);
            assertEquals("@bob can you book it?", atBob.getContent().getText().getText());
            assertTrue(atBob.getBody().isEmpty());
            assertEquals(List.of(bob.userId()), atBob.getMentionsList());
            assertEquals(List.of(sent.getSeq()), awaitView(bobPhone, conversation, v -> v.unreadMentions() == 1)
                    .unreadMentionSeqs());
            assertEquals(0, awaitView(carolPhone, conversation, v -> v.lastSeq() == sent.getSeq()).unreadMentions());
            ConversationSummary listed = bobPhone.client.conversations("", 10).get(20, TimeUnit.SECONDS)
                    .getConversations(0);
            assertEquals(List.of(sent.getSeq()), listed.getUnreadMentionSeqsList());

            bobPhone.client.markRead(conversation, sent.getSeq());
            assertEquals(0, bobPhone.client.conversation(conversation).unreadMentions());
            // The read mark travels on its own; the server's list follows once it is stored.
            await().atMost(LIVE).until(() -> bobPhone.client.conversations("", 10).get(20, TimeUnit.SECONDS)
                    .getConversations(0).getUnreadMentionSeqsList().isEmpty());

            ExecutionException refused = assertThrows(ExecutionException.class, () -> alicePhone.client
                    .sendTextToGroup(group.groupId(), "@mallory psst", mallory.userId()).get(20, TimeUnit.SECONDS));
            ImErrorException error = assertInstanceOf(ImErrorException.class, refused.getCause());
            assertEquals(ErrorCode.INVALID_ARGUMENT, error.getCode());
        }
    }

    private static Message shownAt(Device device, long seq) {
        return device.shown.stream().filter(m -> m.getSeq() == seq).findFirst().orElse(null);
    }

    private static ConversationView awaitView(Device device, String conversation,
            Predicate<ConversationView> when) {
        return await().atMost(LIVE).until(() -> device.client.conversation(conversation), v -> v != null && when.test(v));
    }
}
