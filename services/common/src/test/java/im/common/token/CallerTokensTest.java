package im.common.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.grpc.GrpcErrors;
import im.common.revocation.RevocationList;
import im.common.testing.TestTokens;
import im.protocol.client.ErrorCode;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A caller in the same process acting as a token's holder, as the gRPC interceptor would make it. */
class CallerTokensTest {

    private final AccessTokenVerifier verifier = new AccessTokenVerifier(parser(), () -> 1000, new RevocationList());
    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        otherThread.shutdownNow();
    }

    @Test
    void aCallActingAsATokenActsForItsUser() {
        String token = TestTokens.issue(42, "ada");

        VerifiedUser caller = CallerTokens.actingAs(token, () -> CallerTokens.requireUser(verifier));

        assertEquals(42, caller.userId());
    }

    @Test
    void theTokenGoesAlongToTheThreadTheCallMovesTo() throws Exception {
        String token = TestTokens.issue(42, "ada");

        CompletableFuture<VerifiedUser> onAnotherThread = CallerTokens.actingAs(token, () -> CompletableFuture
                .supplyAsync(() -> CallerTokens.requireUser(verifier), Context.current().fixedContextExecutor(otherThread)));

        assertEquals(42, onAnotherThread.get(10, TimeUnit.SECONDS).userId());
    }

    @Test
    void afterTheCallTheThreadActsForNobody() {
        CallerTokens.actingAs(TestTokens.issue(42, "ada"), () -> CallerTokens.requireUser(verifier));

        StatusRuntimeException nobody = assertThrows(StatusRuntimeException.class,
                () -> CallerTokens.requireUser(verifier));
        assertEquals(ErrorCode.UNAUTHENTICATED, GrpcErrors.codeOf(nobody));
    }

    private static DefaultJWTParser parser() {
        JWTAuthContextInfo info = new JWTAuthContextInfo(TestTokens.publicKey(), TestTokens.ISSUER);
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.EDDSA));
        return new DefaultJWTParser(info);
    }
}
