package im.push.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.ConversationCursor;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.SyncPage;
import im.protocol.router.SyncResponse;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Catch-up paging on an {@link EmbeddedChannel} with frozen time: the test moves the clock. Pages
 * come from a fixed store of conversations (page size 100, as the router's Sync).
 */
class CatchUpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int PAGE = 100;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Map<String, Integer> lastSeqs = Map.of("p:1:2", 250, "p:1:3", 3);
    private final List<String> asked = new ArrayList<>();

    @BeforeEach
    void freeze() {
        channel.freezeTime();
    }

    private CompletableFuture<SyncResponse> page(String conversation, long after) {
        asked.add(conversation + ">" + after);
        int last = lastSeqs.get(conversation);
        SyncResponse.Builder page = SyncResponse.newBuilder().setConversationId(conversation).setLastSeq(last);
        for (long seq = after + 1; seq <= Math.min(last, after + PAGE); seq++) {
            page.addMessages(Message.newBuilder().setConversationId(conversation).setSeq(seq).setMsgId(seq));
        }
        return CompletableFuture.completedFuture(page.setHasMore(after + PAGE < last).build());
    }

    private CatchUp catchUp(ConversationCursor... behind) {
        return new CatchUp(channel, this::page, TIMEOUT, 2, List.of(behind));
    }

    private static ConversationCursor from(String conversation, long held) {
        return ConversationCursor.newBuilder().setConversationId(conversation).setLastSeq(held).build();
    }

    private SyncPage nextPage() {
        Frame frame = channel.readOutbound();
        assertEquals(0, frame.getRequestId(), "catch-up pages are unsolicited");
        return frame.getSyncPage();
    }

    private static List<Long> seqs(SyncPage page) {
        return List.of(page.getMessages(0).getSeq(), page.getMessages(page.getMessagesCount() - 1).getSeq());
    }

    @Test
    void nextPageGoesOnlyAfterTheDeviceAcknowledgesThePreviousOne() {
        CatchUp catchUp = catchUp(from("p:1:2", 0), from("p:1:3", 1));
        catchUp.start();

        SyncPage first = nextPage();
        assertEquals(List.of(1L, 100L), seqs(first));
        assertTrue(first.getHasMore());
        assertNull(channel.readOutbound());

        catchUp.acknowledged("p:1:2", 99);
        assertNull(channel.readOutbound(), "an ack below the page's last seq does not release the next page");
        catchUp.acknowledged("p:1:2", 100);
        assertEquals(List.of(101L, 200L), seqs(nextPage()));
        catchUp.acknowledged("p:1:2", 200);
        SyncPage last = nextPage();
        assertEquals(List.of(201L, 250L), seqs(last));
        assertFalse(last.getHasMore());

        catchUp.acknowledged("p:1:2", 250);
        SyncPage other = nextPage();
        assertEquals("p:1:3", other.getConversationId());
        assertEquals(List.of(2L, 3L), seqs(other));
        catchUp.acknowledged("p:1:3", 3);

        assertNull(channel.readOutbound());
        assertFalse(catchUp.running());
        assertEquals(List.of("p:1:2>0", "p:1:2>100", "p:1:2>200", "p:1:3>1"), asked);
    }

    @Test
    void unacknowledgedPageIsSentAgainAfterTheTimeoutThenTheCatchUpStops() {
        CatchUp catchUp = catchUp(from("p:1:3", 0));
        catchUp.start();
        SyncPage first = nextPage();

        channel.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readOutbound());

        for (int resend = 1; resend <= 2; resend++) {
            channel.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            assertEquals(first, nextPage(), "resend " + resend);
        }
        channel.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertNull(channel.readOutbound());
        assertFalse(catchUp.running());
        catchUp.acknowledged("p:1:3", 3);
        assertNull(channel.readOutbound(), "a late ack does not restart it");
    }

    @Test
    void stoppedCatchUpSendsNothingMore() {
        CatchUp catchUp = catchUp(from("p:1:2", 0));
        catchUp.start();
        nextPage();

        catchUp.stop();
        catchUp.acknowledged("p:1:2", 100);
        channel.advanceTimeBy(TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertNull(channel.readOutbound());
    }

    @Test
    void conversationWithNothingNewIsSkipped() {
        CatchUp catchUp = catchUp(from("p:1:3", 3), from("p:1:2", 240));
        catchUp.start();

        SyncPage page = nextPage();
        assertEquals("p:1:2", page.getConversationId());
        assertEquals(List.of(241L, 250L), seqs(page));
    }
}
