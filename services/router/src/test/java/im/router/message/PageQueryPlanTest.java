package im.router.message;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page query on the standalone's router database (SQLite, the router's SQLite migration): it
 * must read the (conversation_id, seq) index in order and stop after the page, not sort every
 * later message of the conversation for each page.
 */
class PageQueryPlanTest {

    @TempDir
    Path dir;

    @Test
    void pageQueryReadsTheConversationIndexInOrderOnSqlite() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("router.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/router-sqlite").load().migrate();
        try (Connection connection = DriverManager.getConnection(url)) {
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + MessageRepository.AFTER)) {
                explain.setString(1, "p:1:2");
                explain.setLong(2, 100);
                explain.setLong(3, Long.MAX_VALUE);
                explain.setInt(4, 101);
                List<String> steps = new ArrayList<>();
                try (ResultSet plan = explain.executeQuery()) {
                    while (plan.next()) {
                        steps.add(plan.getString("detail"));
                    }
                }
                String text = String.join(" / ", steps);
                assertTrue(text.contains("(conversation_id=? AND seq>? AND seq<?)"), text);
                assertFalse(text.contains("TEMP B-TREE"), "no sort of the rest of the conversation: " + text);
            }
        }
    }
}
