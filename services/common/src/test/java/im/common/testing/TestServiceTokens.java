package im.common.testing;

import im.common.service.ServiceKey;
import im.common.service.ServiceName;
import im.common.service.ServiceTokens;
import im.common.token.GrpcAccessTokens;
import io.grpc.CallCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Service tokens as a service of the test deployment mints them, for tests that call a service's
 * gRPC methods in another service's place (creating profiles as auth would). The secret is the
 * one every module's {@code %test} profile sets.
 */
public final class TestServiceTokens {

    /** The value of {@code %test.im.service-identity.secret} in every module. */
    public static final String SECRET = "test-only-service-secret-not-for-any-deployment";
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final ServiceTokens TOKENS = new ServiceTokens(ServiceKey.of(SECRET), TTL, Clock.systemUTC());

    private TestServiceTokens() {
    }

    public static CallCredentials as(ServiceName caller, ServiceName callee) {
        return TOKENS.credentials(caller, callee);
    }

    /**
     * Credentials a call to {@code callee} must be refused with as UNAUTHENTICATED, by what they
     * are: none, a user's access token alone, a token of another deployment's secret, an expired
     * one, one minted for another service.
     */
    public static Map<String, CallCredentials> impostorsOf(ServiceName callee) {
        ServiceTokens foreign = new ServiceTokens(ServiceKey.of("another-deployment-secret-0123456789abcdef"),
                TTL, Clock.systemUTC());
        ServiceTokens lapsed = new ServiceTokens(ServiceKey.of(SECRET), TTL,
                Clock.offset(Clock.systemUTC(), TTL.plusMinutes(1).negated()));
        ServiceName other = callee == ServiceName.LEAF ? ServiceName.USER : ServiceName.LEAF;
        Map<String, CallCredentials> impostors = new LinkedHashMap<>();
        impostors.put("no token", null);
        impostors.put("a user's access token", GrpcAccessTokens.bearer(TestTokens.issue(4242, "mallory")));
        impostors.put("another deployment's secret", foreign.credentials(ServiceName.AUTH, callee));
        impostors.put("an expired token", lapsed.credentials(ServiceName.AUTH, callee));
        impostors.put("a token minted for " + other.id(), as(ServiceName.AUTH, other));
        return impostors;
    }
}
