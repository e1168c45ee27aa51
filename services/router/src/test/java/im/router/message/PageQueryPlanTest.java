package im.router.message;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The page query on the standalone's database (H2 in MySQL mode, the router's own migration):
 * it must read the (conversation_id, seq) index in order and stop after the page, not sort every
 * later message of the conversation for each page.
 */
class PageQueryPlanTest {

    @Test
    void pageQueryReadsTheConversationIndexInOrderOnH2() throws Exception {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:h2:mem:page-plan;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "")) {
            try (Statement schema = connection.createStatement()) {
                schema.execute("RUNSCRIPT FROM 'classpath:db/migration/router/V4_1__router.sql'");
            }
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + MessageRepository.AFTER)) {
                explain.setString(1, "p:1:2");
                explain.setLong(2, 100);
                explain.setInt(3, 101);
                try (ResultSet plan = explain.executeQuery()) {
                    plan.next();
                    String text = plan.getString(1);
                    assertTrue(text.contains("uq_message_conversation_seq"), text);
                    assertTrue(text.contains("index sorted"), text);
                }
            }
        }
    }
}
