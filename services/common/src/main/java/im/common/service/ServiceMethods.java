package im.common.service;

import io.grpc.MethodDescriptor;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The methods of a gRPC service that only other services call, each with the services allowed
 * to. The module serving the methods produces one as a bean, next to its gRPC service; the
 * {@link ServiceCallerInterceptor} refuses a call to a listed method without a service token
 * from one of its callers. Methods not listed take a user's token and check it themselves.
 */
public final class ServiceMethods {

    private final ServiceName service;
    private final Map<String, Set<ServiceName>> callers = new HashMap<>();

    private ServiceMethods(ServiceName service) {
        this.service = service;
    }

    /** Methods of {@code service}, to be filled with {@link #allow}. */
    public static ServiceMethods of(ServiceName service) {
        return new ServiceMethods(service);
    }

    /** Lets {@code first} and {@code rest} call {@code method}, and no other service. */
    public ServiceMethods allow(MethodDescriptor<?, ?> method, ServiceName first, ServiceName... rest) {
        callers.put(method.getFullMethodName(), EnumSet.of(first, rest));
        return this;
    }

    /** The service the methods belong to: the audience their tokens must name. */
    public ServiceName service() {
        return service;
    }

    Map<String, Set<ServiceName>> callersByMethod() {
        return callers;
    }
}
