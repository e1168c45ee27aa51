package im.k8s.validation;

/** One thing wrong with a rendered overlay: which check found it, and what exactly. */
public record Problem(Check check, String message) {

    public enum Check {
        /** A selector (Service, workload, PodDisruptionBudget) that selects no pod template. */
        SELECTOR,
        /** A Service port whose targetPort is no declared container port of the selected pods. */
        TARGET_PORT,
        /** A container port the service does not listen on. */
        CONTAINER_PORT,
        /** A missing probe, a probe path that is not the Quarkus health endpoint, a probe port not declared. */
        PROBE,
        /** An environment variable the service does not read. */
        ENVIRONMENT,
        /** A ConfigMap, Secret, key, Service or workload named but absent. */
        REFERENCE,
        /** A configured host that names no Service, or the wrong kind of Service. */
        HOST,
        /** A call the code makes that the NetworkPolicies do not allow. */
        CALL_DENIED,
        /** A connection the NetworkPolicies allow that no call of the code needs. */
        NOT_A_CALL,
        /** A public REST root or the WebSocket path not routed to its service by the Ingress. */
        INGRESS_ROUTE,
        /** A push node whose node id is not its own stable pod name. */
        NODE_ID
    }

    @Override
    public String toString() {
        return check + ": " + message;
    }
}
