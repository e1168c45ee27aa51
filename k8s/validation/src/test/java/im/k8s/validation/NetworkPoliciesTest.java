package im.k8s.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkPoliciesTest {

    private static final String PODS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: server, namespace: a}
            spec:
              selector: {matchLabels: {app: server}}
              template:
                metadata: {labels: {app: server}}
                spec:
                  containers:
                    - name: server
                      ports: [{name: api, containerPort: 8443}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: client, namespace: a}
            spec:
              selector: {matchLabels: {app: client}}
              template:
                metadata: {labels: {app: client}}
                spec:
                  containers: [{name: client}]
            """;

    @Test
    void aPodThatNoPolicySelectsAcceptsEverything() {
        Manifests manifests = Manifests.parse(PODS);
        NetworkPolicies policies = new NetworkPolicies(manifests.networkPolicies());

        assertTrue(policies.admits(Validator.INTERNET, workload(manifests, "server"), 1234));
    }

    @Test
    void aNamedPortMatchesTheDestinationPodsPortOfThatName() {
        Manifests manifests = Manifests.parse(PODS + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: server, namespace: a}
                spec:
                  podSelector: {matchLabels: {app: server}}
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: client}}}]
                      ports: [{port: api}]
                """);
        NetworkPolicies policies = new NetworkPolicies(manifests.networkPolicies());
        Peer.Pod client = new Peer.Pod(workload(manifests, "client"), manifests.namespaceLabels("a"));

        assertTrue(policies.admits(client, workload(manifests, "server"), 8443));
        assertFalse(policies.admits(client, workload(manifests, "server"), 8080));
        assertFalse(policies.admits(Validator.INTERNET, workload(manifests, "server"), 8443));
    }

    @Test
    void aPodSelectorAloneMeansPodsOfThePolicysOwnNamespace() {
        Manifests manifests = Manifests.parse(PODS + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: server, namespace: a}
                spec:
                  podSelector: {matchLabels: {app: server}}
                  ingress:
                    - from: [{podSelector: {matchLabels: {app: client}}}]
                """);
        NetworkPolicies policies = new NetworkPolicies(manifests.networkPolicies());
        Peer.ForeignPod elsewhere = new Peer.ForeignPod("a client in namespace b",
                Map.of("kubernetes.io/metadata.name", "b"), Map.of("app", "client"));

        assertFalse(policies.admits(elsewhere, workload(manifests, "server"), 8443));
    }

    @Test
    void anIpBlockMatchesOnlyAddressesOutsideTheClusterAndNotItsExceptions() {
        Manifests manifests = Manifests.parse(PODS + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: server, namespace: a}
                spec:
                  podSelector: {matchLabels: {app: server}}
                  ingress:
                    - from: [{ipBlock: {cidr: 198.51.100.0/24, except: [198.51.100.128/25]}}]
                """);
        NetworkPolicies policies = new NetworkPolicies(manifests.networkPolicies());
        Workload server = workload(manifests, "server");

        assertTrue(policies.admits(new Peer.External("inside", Optional.of("198.51.100.7")), server, 8443));
        assertFalse(policies.admits(new Peer.External("excepted", Optional.of("198.51.100.200")), server, 8443));
        assertFalse(policies.admits(new Peer.External("outside", Optional.of("203.0.113.7")), server, 8443));
        assertFalse(policies.admits(new Peer.Pod(workload(manifests, "client"), manifests.namespaceLabels("a")),
                server, 8443));
    }

    private static Workload workload(Manifests manifests, String name) {
        return manifests.workloads().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }
}
