package im.router.typing;

import im.router.SqliteRouter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link TypingTest} with the router's store on SQLite (the standalone's engine). */
@QuarkusTest
@TestProfile(SqliteRouter.class)
class SqliteTypingTest extends TypingTest {
}
