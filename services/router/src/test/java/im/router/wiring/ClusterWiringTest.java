package im.router.wiring;

import static org.junit.jupiter.api.Assertions.fail;

import im.common.testing.BootFailures;
import im.router.routing.DeliveryRouting;
import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router app without its presence adapter does not boot: Quarkus refuses the unsatisfied seam
 * and names it, instead of a router that silently routes nothing (what an in-process default
 * would have done in a cluster).
 */
class ClusterWiringTest {

    @RegisterExtension
    static final QuarkusUnitTest ROUTER_WITHOUT_REDIS = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(DeliveryRouting.class))
            .overrideConfigKey("quarkus.arc.exclude-types", "im.redis.presence.RedisPresenceRegistry")
            .assertException(BootFailures.saying("Unsatisfied dependency for type im.common.presence.PresenceRegistry"));

    @Test
    void routerWithoutAPresenceAdapterDoesNotBoot() {
        fail("the router booted without a PresenceRegistry");
    }
}
