package im.k8s.validation;

import java.util.Map;
import java.util.Optional;

/** One end of a connection, as NetworkPolicy rules see it. */
public sealed interface Peer {

    /** A pod of a workload in the rendered overlay. */
    record Pod(Workload workload, Map<String, String> namespaceLabels) implements Peer {
        @Override
        public String toString() {
            return workload.appName();
        }
    }

    /** A pod outside the overlay, in a namespace of its own (the ingress controller). */
    record ForeignPod(String description, Map<String, String> namespaceLabels, Map<String, String> labels)
            implements Peer {
        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * An address outside the cluster: a client on the internet, or a configured external host. The
     * address is empty when only a host name is known: any ipBlock may then be the one it lies in.
     */
    record External(String description, Optional<String> ipv4) implements Peer {
        @Override
        public String toString() {
            return description;
        }
    }
}
