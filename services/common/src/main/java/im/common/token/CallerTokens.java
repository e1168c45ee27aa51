package im.common.token;

import im.common.grpc.GrpcErrors;
import io.grpc.Context;
import java.util.function.Supplier;

/** The user a gRPC call acts for, from the token {@link CallerTokenInterceptor} put in the context. */
public final class CallerTokens {

    static final Context.Key<String> TOKEN = Context.key("im-caller-token");

    private CallerTokens() {
    }

    /**
     * Runs {@code call} as a call carrying {@code token} would run behind
     * {@link CallerTokenInterceptor}: for a caller in the same process that skips the transport.
     */
    public static <T> T actingAs(String token, Supplier<T> call) {
        Context caller = Context.current().withValue(TOKEN, token);
        Context previous = caller.attach();
        try {
            return call.get();
        } finally {
            caller.detach(previous);
        }
    }

    /**
     * The caller of the current call when its token verified before and is still valid, else null
     * (then {@link #requireUser} verifies it, or refuses it). Never blocks.
     */
    public static VerifiedUser userVerifiedBefore(AccessTokenVerifier verifier) {
        return verifier.verifiedBefore(TOKEN.get());
    }

    /**
     * The verified caller of the current call.
     *
     * @throws io.grpc.StatusRuntimeException UNAUTHENTICATED or TOKEN_EXPIRED when there is no valid token
     */
    public static VerifiedUser requireUser(AccessTokenVerifier verifier) {
        return requireUser(verifier, TOKEN.get());
    }

    /**
     * The verified user of {@code token}, for a call that carries its token in its body rather
     * than in its metadata (the router link's calls).
     *
     * @throws io.grpc.StatusRuntimeException UNAUTHENTICATED or TOKEN_EXPIRED when the token is not valid
     */
    public static VerifiedUser requireUser(AccessTokenVerifier verifier, String token) {
        try {
            return verifier.verify(token);
        } catch (TokenRejectedException e) {
            throw GrpcErrors.error(e.code(), e.getMessage());
        }
    }
}
