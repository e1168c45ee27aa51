package im.common.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.revocation.RevocationList;
import im.common.testing.TestTokens;
import im.protocol.client.ErrorCode;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class AccessTokenVerifierTest {

    /** The real smallrye-jwt parser with the test key, counting the signature checks it makes. */
    private static final class CountingParser extends DefaultJWTParser {
        final AtomicInteger parses = new AtomicInteger();

        CountingParser() {
            super(context());
        }

        private static JWTAuthContextInfo context() {
            JWTAuthContextInfo info = new JWTAuthContextInfo(TestTokens.publicKey(), TestTokens.ISSUER);
            info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.EDDSA));
            return info;
        }

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            parses.incrementAndGet();
            return super.parse(token);
        }
    }

    private final CountingParser parser = new CountingParser();
    private final RevocationList revocations = new RevocationList();
    private final AccessTokenVerifier verifier = new AccessTokenVerifier(parser, () -> 1000, revocations);

    @Test
    void aTokenPresentedAgainIsNotCheckedAgain() throws Exception {
        String token = TestTokens.issue(42, "ada");

        VerifiedUser first = verifier.verify(token);
        VerifiedUser again = verifier.verify(token);

        assertEquals(42, first.userId());
        assertEquals(first, again);
        assertEquals(1, parser.parses.get());
    }

    @Test
    void usersGrantedTheSameRolesAndPermissionsShareOneCopyOfThem() throws Exception {
        Set<String> grants = Set.of("message:send", "message:read", "profile:read");
        VerifiedUser ada = verifier.verify(TestTokens.issueGranting(42, "ada", Set.of("user"), grants));
        VerifiedUser bob = verifier.verify(TestTokens.issueGranting(43, "bob", Set.of("user"), grants));
        VerifiedUser admin = verifier.verify(TestTokens.issueGranting(44, "root", Set.of("user", "admin"),
                Set.of("message:send", "admin.users:read")));

        assertEquals(grants, ada.permissions());
        assertSame(ada.permissions(), bob.permissions());
        assertSame(ada.roles(), bob.roles());
        assertEquals(Set.of("user", "admin"), admin.roles());
        assertEquals(Set.of("message:send", "admin.users:read"), admin.permissions());
        assertNotSame(ada.permissions(), admin.permissions());
    }

    @Test
    void aRejectedTokenIsCheckedEveryTimeAndRejectedEveryTime() {
        String forged = TestTokens.issueWithForeignKey(42, "mallory");

        for (int i = 0; i < 2; i++) {
            TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> verifier.verify(forged));
            assertEquals(ErrorCode.UNAUTHENTICATED, e.code());
        }
        assertEquals(2, parser.parses.get());
    }

    @Test
    void onlyATokenThatVerifiedBeforeIsKnownWithoutCheckingAndNeverAForgedOne() throws Exception {
        String token = TestTokens.issue(42, "ada");
        String forged = TestTokens.issueWithForeignKey(42, "mallory");
        assertNull(verifier.verifiedBefore(token));
        assertNull(verifier.verifiedBefore(null));

        verifier.verify(token);
        assertThrows(TokenRejectedException.class, () -> verifier.verify(forged));

        assertEquals(42, verifier.verifiedBefore(token).userId());
        assertNull(verifier.verifiedBefore(forged));
        assertEquals(2, parser.parses.get(), "asking checks no signature");
    }

    @Test
    void aRememberedTokenIsNoLongerKnownOnceItExpires() throws Exception {
        String token = TestTokens.issue(7, "brief", Duration.ofSeconds(2));
        verifier.verify(token);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertNull(verifier.verifiedBefore(token)));
    }

    @Test
    void aRememberedTokenIsRejectedOnceItExpires() throws Exception {
        String token = TestTokens.issue(7, "brief", Duration.ofSeconds(2));
        verifier.verify(token);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> verifier.verify(token));
            assertEquals(ErrorCode.TOKEN_EXPIRED, e.code());
        });
    }

    @Test
    void aRememberedTokenOfARevokedSessionIsRefused_andOtherSessionsAreNot() throws Exception {
        String revoked = TestTokens.issueForSession(42, "ada", "family-a");
        String other = TestTokens.issueForSession(42, "ada", "family-b");
        VerifiedUser user = verifier.verify(revoked);
        verifier.verify(other);
        assertEquals("family-a", user.sessionId());

        revocations.revokeSession(42, "family-a", Instant.now().plusSeconds(900));

        TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> verifier.verify(revoked));
        assertEquals(ErrorCode.SESSION_REVOKED, e.code());
        assertEquals("session revoked", e.getMessage());
        assertNull(verifier.verifiedBefore(revoked));
        assertEquals(42, verifier.verify(other).userId());
    }

    @Test
    void aUserRevokedAfterATokenWasIssuedRefusesIt_butNotATokenIssuedLater() throws Exception {
        String token = TestTokens.issueForSession(42, "ada", "family-a");
        VerifiedUser user = verifier.verify(token);

        revocations.revokeUser(42, Instant.ofEpochSecond(user.issuedAtEpochSecond() + 1), Instant.now().plusSeconds(900));

        assertEquals(ErrorCode.SESSION_REVOKED,
                assertThrows(TokenRejectedException.class, () -> verifier.verify(token)).code());
        VerifiedUser later = new VerifiedUser(42, "ada", Set.of(), Set.of(), user.expiresAtEpochSecond(), "family-c",
                user.issuedAtEpochSecond() + 1);
        assertFalse(revocations.isRevoked(later));
    }
}
