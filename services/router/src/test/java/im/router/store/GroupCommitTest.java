package im.router.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.testing.TestTokensResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group commit on the router's real datasource (MariaDB), with a probe table of its own. */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class GroupCommitTest {

    @Inject
    Transactions transactions;

    private final CountDownLatch firstBatchMayCommit = new CountDownLatch(1);
    private final CountDownLatch firstBatchStarted = new CountDownLatch(1);
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<String> writeOrder = new CopyOnWriteArrayList<>();
    private GroupCommit commit;
    private GroupCommit.Lane<Integer, Integer> keys;

    /** Inserts each item as a key; the first batch waits until the test lets it commit. */
    private final GroupCommit.BatchWork<Integer, Integer> insertKeys = (connection, items) -> {
        if (batchSizes.isEmpty()) {
            firstBatchStarted.countDown();
            awaitLatch(firstBatchMayCommit);
        }
        batchSizes.add(items.size());
        writeOrder.add("keys " + items);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO group_commit_probe (k) VALUES (?)")) {
            for (int item : items) {
                insert.setInt(1, item);
                insert.executeUpdate();
            }
        }
        return items.stream().map(item -> item * 10).toList();
    };

    @BeforeEach
    void probeTable() throws SQLException {
        ProbeTable.recreate(transactions, "group_commit_probe", "k INT NOT NULL PRIMARY KEY");
    }

    @AfterEach
    void stop() {
        firstBatchMayCommit.countDown();
        if (commit != null) {
            commit.stop(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void writesQueuedWhileABatchCommitsAreCommittedTogetherInOneTransaction() throws Exception {
        CompletableFuture<Integer> first = firstBatchHeldOpen(64, 100);
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int key = 2; key <= 11; key++) {
            queued.add(keys.submit(key).toCompletableFuture());
        }

        firstBatchMayCommit.countDown();

        assertEquals(10, first.get(10, TimeUnit.SECONDS));
        for (int i = 0; i < queued.size(); i++) {
            assertEquals((i + 2) * 10, queued.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(1, 10), batchSizes);
        assertEquals(11, rows());
    }

    @Test
    void aBatchLargerThanTheMaximumIsSplitAcrossTransactions() throws Exception {
        CompletableFuture<Integer> first = firstBatchHeldOpen(4, 100);
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int key = 2; key <= 11; key++) {
            queued.add(keys.submit(key).toCompletableFuture());
        }

        firstBatchMayCommit.countDown();

        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Integer> write : queued) {
            write.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(1, 4, 4, 2), batchSizes);
        assertEquals(11, rows());
    }

    @Test
    void aUniqueKeyConflictFailsOnlyTheConflictingWrite() throws Exception {
        CompletableFuture<Integer> first = firstBatchHeldOpen(64, 100);
        CompletableFuture<Integer> two = keys.submit(2).toCompletableFuture();
        CompletableFuture<Integer> conflicting = keys.submit(1).toCompletableFuture();
        CompletableFuture<Integer> three = keys.submit(3).toCompletableFuture();

        firstBatchMayCommit.countDown();

        assertEquals(10, first.get(10, TimeUnit.SECONDS));
        assertEquals(20, two.get(10, TimeUnit.SECONDS));
        assertEquals(30, three.get(10, TimeUnit.SECONDS));
        ExecutionException refused = assertThrows(ExecutionException.class, () -> conflicting.get(10, TimeUnit.SECONDS));
        GroupCommit.NotStored notStored = assertInstanceOf(GroupCommit.NotStored.class, refused.getCause());
        assertEquals(false, notStored.busy());
        assertEquals(3, rows());
    }

    @Test
    void aFullQueueRefusesAtOnceAsBusyAndLosesNothingItTook() throws Exception {
        CompletableFuture<Integer> first = firstBatchHeldOpen(64, 2);
        CompletableFuture<Integer> two = keys.submit(2).toCompletableFuture();
        CompletableFuture<Integer> three = keys.submit(3).toCompletableFuture();
        CompletableFuture<Integer> four = keys.submit(4).toCompletableFuture();

        ExecutionException refused = assertThrows(ExecutionException.class, () -> four.get(1, TimeUnit.SECONDS));
        assertTrue(assertInstanceOf(GroupCommit.NotStored.class, refused.getCause()).busy());
        firstBatchMayCommit.countDown();
        first.get(10, TimeUnit.SECONDS);
        two.get(10, TimeUnit.SECONDS);
        three.get(10, TimeUnit.SECONDS);
        assertEquals(3, rows());
    }

    @Test
    void stopCommitsWhatWasQueuedThenRefusesNewWrites() throws Exception {
        CompletableFuture<Integer> first = firstBatchHeldOpen(64, 100);
        CompletableFuture<Integer> queued = keys.submit(2).toCompletableFuture();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> commit.stop(10, TimeUnit.SECONDS));
        List<CompletableFuture<Integer>> takenBeforeStop = submitUntilRefused();
        firstBatchMayCommit.countDown();
        stopped.get(15, TimeUnit.SECONDS);

        assertEquals(10, first.get());
        assertEquals(20, queued.get());
        for (CompletableFuture<Integer> write : takenBeforeStop) {
            write.get();
        }
        assertEquals(2 + takenBeforeStop.size(), rows());
    }

    @Test
    void writesOfSeveralLanesShareOneTransactionLowerRankFirst() throws Exception {
        commit = new GroupCommit("probe", transactions, 3);
        GroupCommit.Lane<String, String> notes = commit.lane("notes", 2, recordNotes(), 64, 100);
        keys = commit.lane("keys", 1, insertKeys, 64, 100);
        CompletableFuture<Integer> first = keys.submit(1).toCompletableFuture();
        assertTrue(firstBatchStarted.await(10, TimeUnit.SECONDS));
        CompletableFuture<String> note = notes.submit("a").toCompletableFuture();
        CompletableFuture<Integer> second = keys.submit(2).toCompletableFuture();

        firstBatchMayCommit.countDown();

        first.get(10, TimeUnit.SECONDS);
        assertEquals("a", note.get(10, TimeUnit.SECONDS));
        assertEquals(20, second.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("keys [1]", "keys [2]", "notes [a]"), writeOrder);
        assertEquals(List.of(1, 1), batchSizes);
    }

    @Test
    void aLingeringWriteRidesInTheNextTransactionOfAnotherLane() throws Exception {
        commit = new GroupCommit("probe", transactions, 3);
        GroupCommit.Lane<String, String> notes = commit.lane("notes", 2, recordNotes(), 64, 100, Duration.ofHours(1));
        keys = commit.lane("keys", 1, insertKeys, 64, 100);
        firstBatchMayCommit.countDown();

        CompletableFuture<String> note = notes.submit("a").toCompletableFuture();
        CompletableFuture<Integer> key = keys.submit(1).toCompletableFuture();

        assertEquals(10, key.get(10, TimeUnit.SECONDS));
        assertEquals("a", note.get(10, TimeUnit.SECONDS));
        // Alone, the note would have waited an hour; it went with the key, after it (higher rank).
        assertEquals(List.of("keys [1]", "notes [a]"), writeOrder);
    }

    @Test
    void aLingeringWriteWithNothingToRideWithIsWrittenAfterItsLinger() throws Exception {
        commit = new GroupCommit("probe", transactions, 3);
        GroupCommit.Lane<String, String> notes = commit.lane("notes", 2, recordNotes(), 64, 100, Duration.ofMillis(20));

        assertEquals("a", notes.submit("a").toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(List.of("notes [a]"), writeOrder);
    }

    @Test
    void aFullBatchOfALingeringLaneIsWrittenWithoutWaiting() throws Exception {
        commit = new GroupCommit("probe", transactions, 3);
        GroupCommit.Lane<String, String> notes = commit.lane("notes", 2, recordNotes(), 2, 100, Duration.ofHours(1));

        CompletableFuture<String> a = notes.submit("a").toCompletableFuture();
        CompletableFuture<String> b = notes.submit("b").toCompletableFuture();

        assertEquals("a", a.get(10, TimeUnit.SECONDS));
        assertEquals("b", b.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("notes [a, b]"), writeOrder);
    }

    @Test
    void whileABatchIsPublishedTheNextCommitsAndCallersHearOfBothInCommitOrder() throws Exception {
        CountDownLatch firstPublishMayEnd = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        GroupCommit.BatchWork<Integer, Integer> published = new GroupCommit.BatchWork<>() {
            @Override
            public List<Integer> write(Connection connection, List<Integer> items) throws SQLException {
                firstBatchMayCommit.countDown();
                return insertKeys.write(connection, items);
            }

            @Override
            public void committed(List<Integer> items, List<Integer> results) {
                events.add("committed " + items);
            }

            @Override
            public void publish(List<Integer> items, List<Integer> results) {
                events.add("published " + items);
                if (items.contains(1)) {
                    awaitLatch(firstPublishMayEnd);
                }
            }
        };
        commit = new GroupCommit("probe", transactions, 3);
        keys = commit.lane("keys", 1, published, 64, 100);
        CompletableFuture<Integer> first = keys.submit(1).toCompletableFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("published [1]"));

        CompletableFuture<Integer> second = keys.submit(2).toCompletableFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("committed [2]"));
        assertEquals(2, rows(), "the second batch committed while the first was being published");
        assertTrue(!first.isDone() && !second.isDone(), "nobody hears of a write before its batch is published");

        firstPublishMayEnd.countDown();
        assertEquals(10, first.get(10, TimeUnit.SECONDS));
        assertEquals(20, second.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("committed [1]", "published [1]", "committed [2]", "published [2]"), events);
    }

    /** A lane's work that writes nothing and records what it was given. */
    private GroupCommit.BatchWork<String, String> recordNotes() {
        return (connection, items) -> {
            writeOrder.add("notes " + items);
            return items;
        };
    }

    /** A group commit with the "keys" lane whose first write (key 1) is being written, its commit held. */
    private CompletableFuture<Integer> firstBatchHeldOpen(int maxBatch, int queueCapacity) throws InterruptedException {
        commit = new GroupCommit("probe", transactions, 3);
        keys = commit.lane("keys", 1, insertKeys, maxBatch, queueCapacity);
        CompletableFuture<Integer> first = keys.submit(1).toCompletableFuture();
        assertTrue(firstBatchStarted.await(10, TimeUnit.SECONDS));
        return first;
    }

    /** Submits until the stopping writer refuses (stop() runs on another thread); answers what it took. */
    private List<CompletableFuture<Integer>> submitUntilRefused() {
        List<CompletableFuture<Integer>> taken = new ArrayList<>();
        AtomicInteger key = new AtomicInteger(100);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            CompletableFuture<Integer> write = keys.submit(key.getAndIncrement()).toCompletableFuture();
            if (write.isCompletedExceptionally()) {
                return true;
            }
            taken.add(write);
            return false;
        });
        return taken;
    }

    private long rows() throws SQLException {
        return transactions.read(connection -> count(connection));
    }

    private static long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT COUNT(*) FROM group_commit_probe")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
