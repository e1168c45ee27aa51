package im.common.token;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries the caller's raw access token from the call's metadata into the gRPC {@link Context}.
 * It does not verify: verification may fetch keys, and interceptors run on the event loop.
 * Services that act for a user verify with {@link CallerTokens#requireUser(AccessTokenVerifier)}
 * on their worker thread.
 */
@GlobalInterceptor
@ApplicationScoped
public class CallerTokenInterceptor implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String token = GrpcAccessTokens.tokenOf(headers);
        if (token == null) {
            return next.startCall(call, headers);
        }
        Context context = Context.current().withValue(CallerTokens.TOKEN, token);
        return Contexts.interceptCall(context, call, headers, next);
    }
}
