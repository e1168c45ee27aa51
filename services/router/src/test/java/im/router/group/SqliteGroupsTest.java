package im.router.group;

import im.router.SqliteRouter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link GroupsTest} with the router's store on SQLite (the standalone's engine). */
@QuarkusTest
@TestProfile(SqliteRouter.class)
class SqliteGroupsTest extends GroupsTest {
}
