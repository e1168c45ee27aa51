package im.common.token;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
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
     * The caller of the current call when its token verified before, is still valid and grants
     * {@code permission}, else null (then {@link #requirePermitted} verifies it, or refuses it with
     * the reason). Never blocks.
     */
    public static VerifiedUser userPermittedBefore(AccessTokenVerifier verifier, String permission) {
        VerifiedUser user = verifier.verifiedBefore(TOKEN.get());
        return user != null && user.may(permission) ? user : null;
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

    /**
     * The verified caller of the current call, when its token grants {@code permission}
     * ({@link im.common.access.Permissions}).
     *
     * @throws io.grpc.StatusRuntimeException UNAUTHENTICATED or TOKEN_EXPIRED without a valid token,
     *         PERMISSION_DENIED naming the permission when the token does not grant it
     */
    public static VerifiedUser requirePermitted(AccessTokenVerifier verifier, String permission) {
        return requirePermission(requireUser(verifier), permission);
    }

    /** {@link #requirePermitted(AccessTokenVerifier, String)} for a token carried in a call's body. */
    public static VerifiedUser requirePermitted(AccessTokenVerifier verifier, String token, String permission) {
        return requirePermission(requireUser(verifier, token), permission);
    }

    private static VerifiedUser requirePermission(VerifiedUser user, String permission) {
        if (!user.may(permission)) {
            throw GrpcErrors.error(ErrorCode.PERMISSION_DENIED, "permission " + permission + " required");
        }
        return user;
    }
}
