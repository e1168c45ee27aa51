package im.router.wiring;

import static org.junit.jupiter.api.Assertions.fail;

import im.common.testing.BootFailures;
import im.router.send.SendPermissions;
import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router app without a form of the friendship-ending seam does not boot: Quarkus refuses the
 * unsatisfied seam and names it, instead of a router that never hears of a removal or a block and
 * lets an ex-friend send until its remembered permission lapses.
 */
class FriendshipEndingsWiringTest {

    @RegisterExtension
    static final QuarkusUnitTest ROUTER_WITHOUT_ENDINGS = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SendPermissions.class))
            .overrideConfigKey("quarkus.arc.exclude-types", "im.redis.friendship.RedisFriendshipEndings")
            .assertException(BootFailures.saying("Unsatisfied dependency for type im.common.friendship.FriendshipEndings"));

    @Test
    void routerWithoutAFriendshipEndingsFormDoesNotBoot() {
        fail("the router booted without FriendshipEndings");
    }
}
