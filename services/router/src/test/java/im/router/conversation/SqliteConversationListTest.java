package im.router.conversation;

import im.router.SqliteRouter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ConversationListTest} with the router's store on SQLite (the standalone's engine). */
@QuarkusTest
@TestProfile(SqliteRouter.class)
class SqliteConversationListTest extends ConversationListTest {
}
