package im.leaf.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several allocators over the real leaf_alloc table, as several leaf nodes (or one node before and
 * after a restart) would be.
 */
@QuarkusTest
class JdbcSegmentAllocatorTest {

    @Inject
    JdbcSegmentStore store;

    @Inject
    AgroalDataSource dataSource;

    private ExecutorService loaders;

    @BeforeEach
    void startLoaders() {
        loaders = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stopLoaders() {
        loaders.shutdownNow();
    }

    @Test
    void twoNodesOnOneDatabaseNeverHandOutTheSameId() throws Exception {
        SegmentAllocator nodeA = new SegmentAllocator(store, loaders, 0.1, 16);
        SegmentAllocator nodeB = new SegmentAllocator(store, loaders, 0.1, 16);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> draws = new ArrayList<>();
            for (SegmentAllocator node : List.of(nodeA, nodeB, nodeA, nodeB)) {
                draws.add(callers.submit(() -> draw(node, "two-nodes", 300, 17)));
            }
            Set<Long> all = new HashSet<>();
            int total = 0;
            for (Future<List<Long>> draw : draws) {
                List<Long> ids = draw.get(60, TimeUnit.SECONDS);
                total += ids.size();
                all.addAll(ids);
            }
            assertEquals(total, all.size(), "no id handed out twice across nodes");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void restartedNodeNeverReusesAnId() {
        SegmentAllocator before = new SegmentAllocator(store, loaders, 0.1, 16);
        List<Long> first = draw(before, "restart", 50, 7);

        SegmentAllocator after = new SegmentAllocator(store, loaders, 0.1, 16);
        List<Long> second = draw(after, "restart", 50, 7);

        assertTrue(Collections.min(second) > Collections.max(first),
                "after a restart ids continue beyond everything the old node held");
    }

    @Test
    void newTagStartsAtZeroAndAdvancesByTheDefaultStep() throws Exception {
        Segment first = store.claim("fresh-tag");
        Segment second = store.claim("fresh-tag");

        assertEquals(new Segment(1000, 1000), first);
        assertEquals(new Segment(2000, 1000), second);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT max_id, step FROM leaf_alloc WHERE biz_tag = ?")) {
            statement.setString(1, "fresh-tag");
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(2000, rows.getLong(1));
                assertEquals(1000, rows.getInt(2));
            }
        }
    }

    @Test
    void nodesRacingToCreateANewTagGetDisjointSegments() throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Segment>> claims = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                claims.add(racers.submit(() -> store.claim("raced-new-tag")));
            }
            Set<Long> maxIds = new HashSet<>();
            for (Future<Segment> claim : claims) {
                maxIds.add(claim.get(60, TimeUnit.SECONDS).maxId());
            }
            assertEquals(Set.of(1000L, 2000L, 3000L, 4000L), maxIds);
        } finally {
            racers.shutdownNow();
        }
    }

    private static List<Long> draw(SegmentAllocator node, String tag, int calls, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            for (IdBlock block : node.next(tag, count)) {
                for (long id = block.start(); id <= block.last(); id++) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }
}
