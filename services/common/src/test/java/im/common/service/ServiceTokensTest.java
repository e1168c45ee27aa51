package im.common.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServiceTokensTest {

    private static final String SECRET = "a-secret-of-this-deployment-0123456789";
    private static final Duration TTL = Duration.ofMinutes(5);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final ServiceTokens tokens = new ServiceTokens(ServiceKey.of(SECRET), TTL, clock);
    private final ServiceTokenVerifier verifier = new ServiceTokenVerifier(ServiceKey.of(SECRET), clock);

    @Test
    void aTokenNamesItsCallerToTheServiceItWasMintedFor() throws Exception {
        assertEquals(ServiceName.ROUTER, verifier.callerOf(tokens.token(ServiceName.ROUTER, ServiceName.LEAF), ServiceName.LEAF));
    }

    @Test
    void aTokenForOneServiceIsRefusedByAnother() {
        String forLeaf = tokens.token(ServiceName.ROUTER, ServiceName.LEAF);
        assertThrows(ServiceTokenRejectedException.class, () -> verifier.callerOf(forLeaf, ServiceName.USER));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        ServiceTokens foreign = new ServiceTokens(ServiceKey.of("some-other-deployment-secret-0123456789"), TTL, clock);
        assertThrows(ServiceTokenRejectedException.class,
                () -> verifier.callerOf(foreign.token(ServiceName.AUTH, ServiceName.LEAF), ServiceName.LEAF));
    }

    @Test
    void aTokenIsReusedUntilAFifthOfItsLifeIsLeftThenReplaced() {
        String first = tokens.token(ServiceName.AUTH, ServiceName.USER);
        now.set(now.get().plus(TTL.multipliedBy(4).dividedBy(5)).minusSeconds(1));
        assertEquals(first, tokens.token(ServiceName.AUTH, ServiceName.USER));
        now.set(now.get().plusSeconds(1));
        assertNotEquals(first, tokens.token(ServiceName.AUTH, ServiceName.USER));
    }

    @Test
    void aTokenPastItsExpiryAndTheClockSkewIsRefusedEvenAfterItVerifiedOnce() throws Exception {
        String token = tokens.token(ServiceName.AUTH, ServiceName.USER);
        verifier.callerOf(token, ServiceName.USER);
        now.set(now.get().plus(TTL).plusSeconds(6));
        ServiceTokenRejectedException refused = assertThrows(ServiceTokenRejectedException.class,
                () -> verifier.callerOf(token, ServiceName.USER));
        assertTrue(refused.getMessage().contains("expired"), refused.getMessage());
    }

    @Test
    void aSecretShorterThan32CharactersIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ServiceKey.of("too-short"));
        assertTrue(refused.getMessage().contains("IM_SERVICE_SECRET"), refused.getMessage());
    }

    @Test
    void noTokenAtAllIsRefused() {
        assertThrows(ServiceTokenRejectedException.class, () -> verifier.callerOf(null, ServiceName.LEAF));
    }
}
