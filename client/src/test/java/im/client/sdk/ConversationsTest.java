package im.client.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.protocol.client.ConversationPage;
import im.protocol.client.ConversationSettings;
import im.protocol.client.ConversationSummary;
import im.protocol.client.Message;
import im.protocol.client.MessageChange;
import im.protocol.client.MessagesHidden;
import im.protocol.client.ReadReceipt;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The client's live conversation list: how pages, messages, reads and settings move it. */
class ConversationsTest {

    private static final long ME = 1;
    private static final long BOB = 2;
    private static final String CHAT = "p:1:2";

    private final List<ConversationView> told = new CopyOnWriteArrayList<>();
    private final Conversations conversations = conversations(100);

    @Test
    void anotherUsersMessageAddsUnreadAndMyOwnReadsWhatCameBefore() {
        conversations.page(page(summary(CHAT, 3, 1, 3, 0)));

        conversations.message(message(CHAT, 4, BOB, "four"));
        conversations.message(message(CHAT, 5, BOB, "five"));
        assertEquals(2, view(CHAT).unread());
        assertEquals("five", view(CHAT).lastMessage().getBody().toStringUtf8());

        conversations.message(message(CHAT, 6, ME, "mine"));
        assertEquals(0, view(CHAT).unread());
        assertEquals(6, view(CHAT).readSeq());
        assertEquals(told.get(told.size() - 1), view(CHAT), "every change is told with its snapshot");
    }

    @Test
    void myReadOnAnyDeviceClearsUnreadAndAnotherMembersReadChangesNothing() {
        conversations.page(page(summary(CHAT, 5, 1, 1, 0)));
        assertEquals(4, view(CHAT).unread());

        conversations.readReceipt(ReadReceipt.newBuilder().setConversationId(CHAT).setReaderId(BOB).setUpToSeq(5).build());
        assertEquals(4, view(CHAT).unread());
        conversations.readReceipt(ReadReceipt.newBuilder().setConversationId(CHAT).setReaderId(ME).setUpToSeq(4).build());
        assertEquals(1, view(CHAT).unread());
        conversations.read(CHAT, 5);
        assertEquals(0, view(CHAT).unread());
        conversations.read(CHAT, 2);
        assertEquals(5, view(CHAT).readSeq(), "never back");
    }

    @Test
    void aMessageThatMentionsMeCountsAsAnUnreadMentionUntilIReadPastIt() {
        conversations.page(page(summary(CHAT, 3, 1, 3, 0)));

        conversations.message(message(CHAT, 4, BOB, "@me").toBuilder().addMentions(ME).build());
        conversations.message(message(CHAT, 5, BOB, "@someone else").toBuilder().addMentions(7).build());
        conversations.message(message(CHAT, 6, BOB, "@me again").toBuilder().addMentions(ME).build());
        assertEquals(List.of(4L, 6L), view(CHAT).unreadMentionSeqs());

        conversations.read(CHAT, 5);
        assertEquals(List.of(6L), view(CHAT).unreadMentionSeqs());
        conversations.message(message(CHAT, 7, ME, "replying to all").toBuilder().addMentions(ME).build());
        assertEquals(0, view(CHAT).unreadMentions(), "my own message reads the mention before it");
    }

    @Test
    void aChangeOfAnEarlierMessageAddsNoUnread_evenAfterAPartialRead() {
        conversations.page(page(summary(CHAT, 3, 1, 3, 0)));

        conversations.message(message(CHAT, 4, BOB, "four"));
        conversations.message(message(CHAT, 5, BOB, "").toBuilder().clearBody().setChange(MessageChange.newBuilder()
                .setKind(MessageChange.Kind.EDITED).setTargetSeq(4)).build());
        conversations.message(message(CHAT, 6, BOB, "six"));
        assertEquals(2, view(CHAT).unread());

        conversations.read(CHAT, 4);
        assertEquals(1, view(CHAT).unread(), "the edit at 5 is still left out");
        conversations.hidden(MessagesHidden.newBuilder().setConversationId(CHAT).addSeqs(6).build());
        assertTrue(view(CHAT).lastMessage().getHidden());
        assertTrue(view(CHAT).lastMessage().getBody().isEmpty());
    }

    @Test
    void anOldOrRepeatedMessageChangesNothing() {
        conversations.message(message(CHAT, 4, BOB, "four"));
        int changes = told.size();
        ConversationView before = view(CHAT);

        conversations.message(message(CHAT, 4, BOB, "four"));
        conversations.message(message(CHAT, 3, BOB, "three, synced late"));

        assertSame(before, view(CHAT));
        assertEquals(changes, told.size());
    }

    @Test
    void aConversationFirstMetByADeliveryCountsFromThatMessage() {
        conversations.message(message("g:9", 40, BOB, "hello new member"));

        assertEquals(1, view("g:9").unread());
        assertEquals(40, view("g:9").lastSeq());
    }

    @Test
    void aPageKeepsWhatArrivedAfterTheServerReadIt() {
        conversations.message(message(CHAT, 7, BOB, "seven"));
        conversations.page(page(summary(CHAT, 6, 1, 2, 0)));

        assertEquals(7, view(CHAT).lastSeq());
        assertEquals("seven", view(CHAT).lastMessage().getBody().toStringUtf8());
        assertEquals(5, view(CHAT).unread());
    }

    @Test
    void settingsApplyToAKnownConversationAndTheListPutsPinsFirstThenTheNewest() {
        conversations.message(message("p:1:3", 1, 3, "older"));
        conversations.message(message(CHAT, 1, BOB, "newer"));
        assertEquals(List.of(CHAT, "p:1:3"), ids(conversations.list()));

        conversations.settings(ConversationSettings.newBuilder().setConversationId("p:1:3").setPinned(true)
                .setPinnedAtMs(5).setNotificationsOff(true).build());
        conversations.settings(ConversationSettings.newBuilder().setConversationId("p:1:9").setPinned(true)
                .setPinnedAtMs(6).build());

        assertEquals(List.of("p:1:3", CHAT), ids(conversations.list()));
        assertTrue(view("p:1:3").notificationsOff());
        assertNull(view("p:1:9"), "settings of a conversation not known here wait for a page");
    }

    @Test
    void pastItsBoundTheConversationTouchedLongestAgoIsForgotten() {
        Conversations small = conversations(2);
        small.message(message("p:1:3", 1, 3, "a"));
        small.message(message("p:1:4", 1, 4, "b"));
        small.message(message("p:1:3", 2, 3, "c"));
        small.message(message("p:1:5", 1, 5, "d"));

        assertEquals(List.of("p:1:3", "p:1:5"), ids(small.list()), "p:1:4 was touched longest ago");
    }

    private Conversations conversations(int max) {
        Dispatcher dispatcher = new Dispatcher(new ImClient.Listener() {
            @Override
            public void onConversationChanged(ConversationView conversation) {
                told.add(conversation);
            }
        }, 1000, new DirectExecutor(), on -> { });
        return new Conversations(max, dispatcher, () -> ME);
    }

    private ConversationView view(String id) {
        return conversations.get(id);
    }

    private static List<String> ids(List<ConversationView> views) {
        return views.stream().map(ConversationView::conversationId).toList();
    }

    private static ConversationPage page(ConversationSummary... summaries) {
        return ConversationPage.newBuilder().addAllConversations(List.of(summaries)).build();
    }

    private static ConversationSummary summary(String id, long lastSeq, long firstSeq, long readSeq, long pinnedAt) {
        return ConversationSummary.newBuilder().setConversationId(id).setLastSeq(lastSeq).setFirstSeq(firstSeq)
                .setReadSeq(readSeq).setUnread(lastSeq - readSeq).setPinned(pinnedAt > 0).setPinnedAtMs(pinnedAt)
                .setLastMessage(message(id, lastSeq, BOB, "m" + lastSeq)).build();
    }

    private static Message message(String conversation, long seq, long sender, String text) {
        return Message.newBuilder().setConversationId(conversation).setSeq(seq).setSenderId(sender)
                .setMsgId(seq * 100 + sender).setCreatedAtMs(1_000 + seq)
                .setBody(ByteString.copyFrom(text, StandardCharsets.UTF_8)).build();
    }

    /** Runs each callback on the calling thread: the test sees its effect at once. */
    private static final class DirectExecutor extends AbstractExecutorService {
        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
