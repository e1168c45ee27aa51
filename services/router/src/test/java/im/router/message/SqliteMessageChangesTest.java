package im.router.message;

import im.router.SqliteRouter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link MessageChangesTest} with the router's store on SQLite (the standalone's engine). */
@QuarkusTest
@TestProfile(SqliteRouter.class)
class SqliteMessageChangesTest extends MessageChangesTest {
}
