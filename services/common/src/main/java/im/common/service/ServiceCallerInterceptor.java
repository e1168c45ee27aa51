package im.common.service;

import im.common.grpc.GrpcErrors;
import im.protocol.client.ErrorCode;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lets a call to a service-only method ({@link ServiceMethods}) through only with a service token
 * of one of the method's callers; answers UNAUTHENTICATED without a valid token and
 * PERMISSION_DENIED for another service. The check reads memory only (the token was verified
 * before, or its HMAC is checked here), so it runs on the event loop the call arrives on.
 */
@GlobalInterceptor
@Singleton
public class ServiceCallerInterceptor implements ServerInterceptor {

    private final ServiceTokenVerifier verifier;
    private final Map<String, Rule> rules = new HashMap<>();

    public ServiceCallerInterceptor(ServiceTokenVerifier verifier, Instance<ServiceMethods> served) {
        this.verifier = verifier;
        for (ServiceMethods methods : served) {
            methods.callersByMethod().forEach((method, callers) -> rules.put(method, new Rule(methods.service(), callers)));
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Rule rule = rules.get(method);
        if (rule == null) {
            return next.startCall(call, headers);
        }
        ServiceName caller;
        try {
            caller = verifier.callerOf(headers.get(ServiceTokens.HEADER), rule.service());
        } catch (ServiceTokenRejectedException e) {
            return refuse(call, GrpcErrors.error(ErrorCode.UNAUTHENTICATED, e.getMessage()));
        }
        if (!rule.callers().contains(caller)) {
            return refuse(call, GrpcErrors.error(ErrorCode.PERMISSION_DENIED, "permission denied: the " + caller.id()
                    + " service may not call " + method + " (its callers: " + names(rule.callers()) + ")"));
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, StatusRuntimeException refusal) {
        call.close(refusal.getStatus(), refusal.getTrailers());
        return new ServerCall.Listener<>() {
        };
    }

    private static String names(Set<ServiceName> callers) {
        return callers.stream().map(ServiceName::id).collect(Collectors.joining(", "));
    }

    private record Rule(ServiceName service, Set<ServiceName> callers) {
    }
}
