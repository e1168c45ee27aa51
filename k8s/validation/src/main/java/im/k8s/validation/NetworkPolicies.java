package im.k8s.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates NetworkPolicy objects as the API defines them, for TCP connections: a pod selected by
 * some policy of a direction is isolated in that direction and then reachable (or may connect) only
 * as some rule of those policies allows; rules are unions, peers within a rule too. Connections
 * need both sides: the source's egress and the destination's ingress.
 *
 * <p>Two choices where the API leaves the answer to the network plugin: an ipBlock matches only
 * addresses outside the cluster (pod addresses are not stable enough to be meant by one), and an
 * external peer known by name only may lie in any ipBlock.
 */
public final class NetworkPolicies {

    private final List<NetworkPolicy> policies;

    public NetworkPolicies(List<NetworkPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    /** Whether the destination pod accepts a TCP connection from the source on this port. */
    public boolean admits(Peer from, Workload to, int port) {
        List<NetworkPolicy> applying = applying(to, "Ingress");
        if (applying.isEmpty()) {
            return true;
        }
        for (NetworkPolicy policy : applying) {
            for (NetworkPolicyIngressRule rule : nullToEmpty(policy.getSpec().getIngress())) {
                if (portMatches(rule.getPorts(), Optional.of(to), port)
                        && peerMatches(rule.getFrom(), policy, from)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the source pod may open a TCP connection to the destination on this port. */
    public boolean letsOut(Workload from, Peer to, int port) {
        List<NetworkPolicy> applying = applying(from, "Egress");
        if (applying.isEmpty()) {
            return true;
        }
        Optional<Workload> destination = to instanceof Peer.Pod pod ? Optional.of(pod.workload()) : Optional.empty();
        for (NetworkPolicy policy : applying) {
            for (NetworkPolicyEgressRule rule : nullToEmpty(policy.getSpec().getEgress())) {
                if (portMatches(rule.getPorts(), destination, port) && peerMatches(rule.getTo(), policy, to)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether some egress rule explicitly lets the pod out to an address outside the cluster
     * (an ipBlock) on this port: how a call to a configured external host must be allowed.
     */
    public boolean letsOutToExternal(Workload from, int port) {
        for (NetworkPolicy policy : applying(from, "Egress")) {
            for (NetworkPolicyEgressRule rule : nullToEmpty(policy.getSpec().getEgress())) {
                boolean toAddresses = rule.getTo() != null
                        && rule.getTo().stream().anyMatch(peer -> peer.getIpBlock() != null);
                if (toAddresses && portMatches(rule.getPorts(), Optional.empty(), port)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<NetworkPolicy> applying(Workload pod, String direction) {
        return policies.stream()
                .filter(policy -> Manifests.namespace(policy).equals(pod.namespace()))
                .filter(policy -> selects(policy.getSpec().getPodSelector(), pod.labels()))
                .filter(policy -> types(policy).contains(direction))
                .toList();
    }

    /** policyTypes, or as the API defaults it: Ingress always, Egress when egress rules exist. */
    private static List<String> types(NetworkPolicy policy) {
        List<String> types = policy.getSpec().getPolicyTypes();
        if (types != null && !types.isEmpty()) {
            return types;
        }
        return policy.getSpec().getEgress() != null && !policy.getSpec().getEgress().isEmpty()
                ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    /** An absent or empty port list matches every port; a named port resolves in the destination pod. */
    private static boolean portMatches(List<NetworkPolicyPort> ports, Optional<Workload> destination, int port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort rulePort : ports) {
            String protocol = rulePort.getProtocol() == null ? "TCP" : rulePort.getProtocol();
            if (!"TCP".equals(protocol)) {
                continue;
            }
            IntOrString value = rulePort.getPort();
            if (value == null) {
                return true;
            }
            if (value.getIntVal() != null) {
                int first = value.getIntVal();
                int last = rulePort.getEndPort() == null ? first : rulePort.getEndPort();
                if (port >= first && port <= last) {
                    return true;
                }
            } else if (destination.flatMap(pod -> pod.port(value))
                    .map(p -> p.getContainerPort() == port && "TCP".equals(protocolOf(p.getProtocol())))
                    .orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static String protocolOf(String protocol) {
        return protocol == null ? "TCP" : protocol;
    }

    /** An absent or empty peer list matches every peer. */
    private static boolean peerMatches(List<NetworkPolicyPeer> peers, NetworkPolicy policy, Peer peer) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(rulePeer -> peerMatches(rulePeer, policy, peer));
    }

    private static boolean peerMatches(NetworkPolicyPeer rulePeer, NetworkPolicy policy, Peer peer) {
        if (rulePeer.getIpBlock() != null) {
            return peer instanceof Peer.External external && contains(rulePeer.getIpBlock(), external.ipv4());
        }
        Map<String, String> namespaceLabels;
        Map<String, String> podLabels;
        if (peer instanceof Peer.Pod pod) {
            namespaceLabels = pod.namespaceLabels();
            podLabels = pod.workload().labels();
        } else if (peer instanceof Peer.ForeignPod foreign) {
            namespaceLabels = foreign.namespaceLabels();
            podLabels = foreign.labels();
        } else {
            return false; // pod and namespace selectors mean pods of the cluster
        }
        boolean namespaceMatches = rulePeer.getNamespaceSelector() == null
                ? Manifests.namespace(policy).equals(namespaceLabels.get("kubernetes.io/metadata.name"))
                : selects(rulePeer.getNamespaceSelector(), namespaceLabels);
        boolean podMatches = rulePeer.getPodSelector() == null || selects(rulePeer.getPodSelector(), podLabels);
        return namespaceMatches && podMatches;
    }

    /** Label selector semantics: every matchLabels pair and every expression must hold; empty selects all. */
    public static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        for (LabelSelectorRequirement requirement : nullToEmpty(selector.getMatchExpressions())) {
            String value = labels.get(requirement.getKey());
            List<String> values = nullToEmpty(requirement.getValues());
            boolean holds = switch (requirement.getOperator()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("unknown selector operator " + requirement.getOperator());
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(IPBlock block, Optional<String> address) {
        if (address.isEmpty()) {
            return true;
        }
        if (!inCidr(block.getCidr(), address.get())) {
            return false;
        }
        return nullToEmpty(block.getExcept()).stream().noneMatch(except -> inCidr(except, address.get()));
    }

    /** IPv4 only: the overlays' blocks and the peers used here are all IPv4. */
    static boolean inCidr(String cidr, String address) {
        String[] parts = cidr.split("/");
        if (parts[0].contains(":") || address.contains(":")) {
            return false;
        }
        int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (ipv4(parts[0]) & mask) == (ipv4(address) & mask);
    }

    private static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
