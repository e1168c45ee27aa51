package im.router.media;

import im.router.SqliteRouter;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link AvatarRestTest} with the router's store on SQLite (the standalone's engine). */
@QuarkusTest
@TestProfile(SqliteRouter.class)
class SqliteAvatarRestTest extends AvatarRestTest {
}
