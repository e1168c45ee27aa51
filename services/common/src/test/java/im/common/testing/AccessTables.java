package im.common.testing;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import jakarta.enterprise.inject.Any;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pieces the access-table tests share (auth's app, router's app): a table of endpoints by
 * caller, the gRPC methods the running app serves, and what counts as an authorization refusal.
 */
public final class AccessTables {

    private AccessTables() {
    }

    /** One row: the endpoint and one cell per caller, in the order of the test's caller enum. */
    public static Map.Entry<String, boolean[]> row(int callers, String endpoint, boolean... allowed) {
        if (allowed.length != callers) {
            throw new IllegalArgumentException(endpoint + ": one cell per caller");
        }
        return Map.entry(endpoint, allowed);
    }

    /** The rows in order; an endpoint twice is a mistake in the table. */
    @SafeVarargs
    public static Map<String, boolean[]> table(Map.Entry<String, boolean[]>... rows) {
        Map<String, boolean[]> table = new LinkedHashMap<>();
        for (Map.Entry<String, boolean[]> row : rows) {
            if (table.put(row.getKey(), row.getValue()) != null) {
                throw new IllegalArgumentException("two rows for " + row.getKey());
            }
        }
        return table;
    }

    /** The gRPC methods the running app serves, by full name; gRPC's own (health, reflection) left out. */
    public static Map<String, MethodDescriptor<?, ?>> servedGrpcMethods() {
        Map<String, MethodDescriptor<?, ?>> methods = new LinkedHashMap<>();
        for (InstanceHandle<BindableService> service : Arc.container().select(BindableService.class, Any.Literal.INSTANCE)
                .handles()) {
            for (ServerMethodDefinition<?, ?> method : service.get().bindService().getMethods()) {
                String name = method.getMethodDescriptor().getFullMethodName();
                if (!name.startsWith("grpc.")) {
                    methods.put(name, method.getMethodDescriptor());
                }
            }
        }
        return methods;
    }

    /**
     * An authorization refusal, as opposed to an answer of the method itself: UNAUTHENTICATED, or
     * PERMISSION_DENIED naming a permission (a method's own PERMISSION_DENIED, such as "not a
     * member of this group", gives a reason instead).
     */
    public static boolean refusedAccess(Status.Code code, String description) {
        return code == Status.Code.UNAUTHENTICATED
                || code == Status.Code.PERMISSION_DENIED && description != null && description.startsWith("permission ");
    }
}
