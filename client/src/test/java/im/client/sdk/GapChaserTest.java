package im.client.sdk;

import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.SyncPage;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gap detection and sync paging, against an in-memory channel and a grace that ends when the test says. */
class GapChaserTest {

    private static final String C = "p:1:2";

    /** Grace periods end when the test says so. */
    private static final class ManualScheduler implements TimeoutScheduler {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public Runnable schedule(Runnable task, Duration delay) {
            tasks.add(task);
            return () -> tasks.remove(task);
        }

        void endGrace() {
            List<Runnable> due = new ArrayList<>(tasks);
            tasks.clear();
            due.forEach(Runnable::run);
        }
    }

    private final ManualScheduler grace = new ManualScheduler();
    private final HeldMessages held = new HeldMessages(1_000, Map.of());
    // Request timeouts never fire here: every request is answered or left alone on purpose.
    private final Requests requests = new Requests(new PendingRequests(100, (task, delay) -> () -> { }),
            Duration.ofSeconds(5));
    private final ExecutorService listenerThread = Executors.newSingleThreadExecutor();
    private final AtomicReference<Connection> current = new AtomicReference<>();
    private EmbeddedChannel channel;
    private Connection connection;
    private GapChaser gaps;

    @BeforeEach
    void setUp() {
        Dispatcher dispatcher = new Dispatcher(new ImClient.Listener() { }, 100, listenerThread, on -> { });
        gaps = new GapChaser(held, requests, dispatcher, current::get, grace, Duration.ofMillis(500));
        connection = new Connection(Endpoint.of(URI.create("tcp://127.0.0.1:7000")), null);
        channel = new EmbeddedChannel();
        connection.channel = channel;
        current.set(connection);
    }

    @AfterEach
    void tearDown() {
        listenerThread.shutdownNow();
        channel.finishAndReleaseAll();
    }

    private static Message message(long seq) {
        return Message.newBuilder().setConversationId(C).setSeq(seq).setMsgId(1000 + seq).build();
    }

    /** As the client takes a page asked for: its messages are held before the request completes. */
    private void answer(Frame request, boolean hasMore, long... seqs) {
        SyncPage.Builder page = SyncPage.newBuilder().setConversationId(C).setHasMore(hasMore);
        for (long seq : seqs) {
            page.addMessages(message(seq));
            held.hold(C, seq);
        }
        requests.answered(request.getRequestId(), Frame.newBuilder().setRequestId(request.getRequestId())
                .setSyncPage(page).build());
    }

    private Frame written() {
        return channel.readOutbound();
    }

    /** Every callback queued so far on the listener thread has run. */
    private void listenerDone() throws Exception {
        listenerThread.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void gapOutlivingTheGrace_isSyncedFromTheCursor_andTheServerHearsTheNewPosition() throws Exception {
        held.hold(C, 1);
        held.hold(C, 3);
        gaps.checkLater(connection, C);
        gaps.checkLater(connection, C);
        assertEquals(1, grace.tasks.size(), "one check per conversation at a time");
        assertNull(written(), "nothing asked during the grace");

        grace.endGrace();
        Frame sync = written();
        assertEquals(C, sync.getSyncRequest().getConversationId());
        assertEquals(1, sync.getSyncRequest().getAfterSeq());
        assertEquals(ImClient.MAX_SYNC_PAGE, sync.getSyncRequest().getLimit());

        answer(sync, false, 2, 3);
        listenerDone();
        Frame ack = written();
        assertEquals(C, ack.getDeliverAck().getConversationId());
        assertEquals(3, ack.getDeliverAck().getSeq());
        assertTrue(grace.tasks.isEmpty(), "no gap left, nothing to check again");
    }

    @Test
    void gapClosedByItsPushWithinTheGrace_isNotSynced() throws Exception {
        held.hold(C, 1);
        held.hold(C, 3);
        gaps.checkLater(connection, C);
        held.hold(C, 2);
        grace.endGrace();
        listenerDone();
        assertNull(written());
    }

    @Test
    void pagesWithMore_areFollowedFromEachPagesLastSeq() throws Exception {
        held.hold(C, 1);
        held.hold(C, 5);
        gaps.checkLater(connection, C);
        grace.endGrace();
        Frame first = written();
        assertEquals(1, first.getSyncRequest().getAfterSeq());

        answer(first, true, 2, 3);
        Frame second = written();
        assertEquals(3, second.getSyncRequest().getAfterSeq());

        answer(second, false, 4);
        listenerDone();
        assertEquals(5, written().getDeliverAck().getSeq(), "the push above the gap counts once it is filled");
    }

    @Test
    void chaseThatFillsNothing_isNotRepeated() throws Exception {
        held.hold(C, 1);
        held.hold(C, 3);
        gaps.checkLater(connection, C);
        grace.endGrace();
        answer(written(), false);
        listenerDone();
        assertNull(written(), "no progress, no ack");
        assertTrue(grace.tasks.isEmpty(), "a gap the server cannot fill does not loop");
    }

    @Test
    void chaseEndsWithItsConnection() throws Exception {
        held.hold(C, 1);
        held.hold(C, 9);
        gaps.checkLater(connection, C);
        grace.endGrace();
        Frame first = written();

        current.set(null);
        answer(first, true, 2, 3);
        listenerDone();
        assertNull(written(), "no further page asked on a connection no longer in use");
    }

    @Test
    void gapCheckDueAfterTheConnectionWasReplaced_asksNothing() throws Exception {
        held.hold(C, 1);
        held.hold(C, 3);
        gaps.checkLater(connection, C);
        current.set(new Connection(Endpoint.of(URI.create("tcp://127.0.0.1:7000")), null));
        grace.endGrace();
        assertNull(written());
    }
}
