package im.auth.wiring;

import static org.junit.jupiter.api.Assertions.fail;

import im.auth.throttle.AuthThrottle;
import im.auth.throttle.ThrottleConfig;
import im.common.testing.BootFailures;
import io.quarkus.test.QuarkusUnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An auth app without an attempt counter does not boot: Quarkus refuses the unsatisfied seam and
 * names it, instead of an auth that silently counts nothing (what a do-nothing default would do).
 */
class ClusterWiringTest {

    @RegisterExtension
    static final QuarkusUnitTest AUTH_WITHOUT_REDIS = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(AuthThrottle.class, ThrottleConfig.class))
            .overrideConfigKey("quarkus.arc.exclude-types", "im.redis.throttle.RedisAttemptCounter")
            .assertException(BootFailures.saying("Unsatisfied dependency for type im.common.throttle.AttemptCounter"));

    @Test
    void authWithoutAnAttemptCounterDoesNotBoot() {
        fail("auth booted without an AttemptCounter");
    }
}
