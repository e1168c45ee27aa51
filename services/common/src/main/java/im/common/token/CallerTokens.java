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
        try {
            return verifier.verify(TOKEN.get());
        } catch (TokenRejectedException e) {
            throw GrpcErrors.error(e.code(), e.getMessage());
        }
    }
}
