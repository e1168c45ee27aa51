package im.common.token;

import im.common.grpc.GrpcErrors;
import io.grpc.Context;

/** The user a gRPC call acts for, from the token {@link CallerTokenInterceptor} put in the context. */
public final class CallerTokens {

    static final Context.Key<String> TOKEN = Context.key("im-caller-token");

    private CallerTokens() {
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
