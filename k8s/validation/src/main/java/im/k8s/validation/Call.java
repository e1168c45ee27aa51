package im.k8s.validation;

/**
 * A connection a service opens, as its configuration names it.
 *
 * @param from the calling service
 * @param key the configuration key that names the target (quarkus.grpc.clients.leaf.host, ...)
 * @param host the host as configured
 * @param port the port the caller connects to
 * @param everyAddress the caller resolves every A record of the name and connects to each (push's
 *     routers, gRPC clients balancing round_robin), so the name must be a headless Service
 */
public record Call(String from, String key, String host, int port, boolean everyAddress) {

    @Override
    public String toString() {
        return from + " -> " + host + ":" + port + " (" + key + ")";
    }
}
