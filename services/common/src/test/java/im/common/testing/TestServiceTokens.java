package im.common.testing;

import im.common.service.ServiceKey;
import im.common.service.ServiceName;
import im.common.service.ServiceTokens;
import io.grpc.CallCredentials;
import java.time.Clock;
import java.time.Duration;

/**
 * Service tokens as a service of the test deployment mints them, for tests that call a service's
 * gRPC methods in another service's place (creating profiles as auth would). The secret is the
 * one every module's {@code %test} profile sets.
 */
public final class TestServiceTokens {

    /** The value of {@code %test.im.service-identity.secret} in every module. */
    public static final String SECRET = "test-only-service-secret-not-for-any-deployment";
    private static final ServiceTokens TOKENS = new ServiceTokens(ServiceKey.of(SECRET), Duration.ofMinutes(5),
            Clock.systemUTC());

    private TestServiceTokens() {
    }

    public static CallCredentials as(ServiceName caller, ServiceName callee) {
        return TOKENS.credentials(caller, callee);
    }

    /** Tokens signed with another secret: what a process outside the deployment could make. */
    public static ServiceTokens foreign() {
        return new ServiceTokens(ServiceKey.of("another-deployment-secret-0123456789abcdef"), Duration.ofMinutes(5),
                Clock.systemUTC());
    }

    /** Tokens of this deployment that lapsed {@code ago} before now. */
    public static ServiceTokens expired(Duration ago) {
        Duration ttl = Duration.ofMinutes(5);
        return new ServiceTokens(ServiceKey.of(SECRET), ttl, Clock.offset(Clock.systemUTC(), ttl.plus(ago).negated()));
    }
}
