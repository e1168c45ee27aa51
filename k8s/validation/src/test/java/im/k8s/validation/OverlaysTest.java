package im.k8s.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.k8s.validation.Problem.Check;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The repository's overlays, rendered by kubectl, hold together and match the services' code. */
class OverlaysTest {

    private static List<Problem> problems(String overlay, Check check) {
        return Overlays.VALIDATOR.validate(Overlays.rendered(overlay)).stream()
                .filter(problem -> problem.check() == check)
                .toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayHasNoProblemAtAll(String overlay) {
        assertEquals(List.of(), Overlays.VALIDATOR.validate(Overlays.rendered(overlay)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceSelectsAPodTemplate(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.SELECTOR));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTargetPortIsADeclaredContainerPort(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.TARGET_PORT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerPortIsOneTheServiceListensOn(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.CONTAINER_PORT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesAreTheQuarkusHealthEndpointsOnTheHttpPort(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.PROBE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyEnvironmentVariableIsAKeyTheServiceReads(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.ENVIRONMENT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyReferencedConfigMapSecretAndWorkloadExists(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.REFERENCE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyConfiguredHostIsAServiceOfTheOverlayOrExternal(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.HOST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyCallTheCodeMakesIsAllowedByTheNetworkPolicies(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.CALL_DENIED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theNetworkPoliciesAllowNothingButThoseCalls(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.NOT_A_CALL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theIngressRoutesEveryRestRootAndTheWebSocketPath(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.INGRESS_ROUTE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPushNodeIdIsItsOwnPodName(String overlay) {
        assertEquals(List.of(), problems(overlay, Check.NODE_ID));
    }

    @Test
    void callsAreDerivedFromEachServicesConfiguration() {
        Manifests dev = Overlays.rendered("dev");
        assertEquals(Set.of("leaf:9000", "user-grpc:9000", "mysql:3306", "redis:6379", "auth:8080"), targets(dev, "auth"),
                "auth verifies bearer tokens (logout everywhere, admin calls) with its own JWKS");
        assertEquals(Set.of("router:9000", "mysql:3306", "auth:8080", "redis:6379"), targets(dev, "user"),
                "user reads the revocation list");
        assertEquals(Set.of("mysql:3306"), targets(dev, "leaf"));
        assertEquals(Set.of("user-grpc:9000", "leaf:9000", "mysql:3306", "redis:6379", "kafka:9092", "auth:8080",
                "minio:9000"), targets(dev, "router"), "the routers keep attachments in the S3 store");
        assertEquals(Set.of("router:9000", "redis:6379", "kafka:9092", "rabbitmq:5672", "auth:8080"), targets(dev, "push"));
        assertTrue(Overlays.VALIDATOR.calls(dev, "push").stream()
                .anyMatch(call -> call.host().equals("router") && call.everyAddress()),
                "push resolves every router from one name");
        assertTrue(Overlays.VALIDATOR.calls(dev, "user").stream()
                .anyMatch(call -> call.host().equals("router") && call.everyAddress()),
                "user spreads its Groups calls over every router");
    }

    @Test
    void callsTheCodeDoesNotMakeAreDenied() {
        Manifests dev = Overlays.rendered("dev");
        assertFalse(targets(dev, "push").contains("mysql:3306"));
        assertFalse(targets(dev, "leaf").contains("redis:6379"));
        NetworkPolicies policies = new NetworkPolicies(dev.networkPolicies());
        assertFalse(policies.admits(pod(dev, "push"), workload(dev, "mysql"), 3306), "push -> mysql");
        assertFalse(policies.admits(pod(dev, "leaf"), workload(dev, "redis"), 6379), "leaf -> redis");
        assertFalse(policies.admits(pod(dev, "push"), workload(dev, "leaf"), 9000), "push -> leaf");
        assertFalse(policies.admits(Validator.INTERNET, workload(dev, "router"), 9000), "internet -> router");
        assertFalse(policies.admits(Overlays.VALIDATOR.ingressController(), workload(dev, "leaf"), 9000),
                "ingress controller -> leaf");
        assertFalse(policies.admits(Validator.INTERNET, workload(dev, "push"), 7001),
                "internet -> push WebSocket (only through the ingress controller)");
        assertTrue(policies.admits(pod(dev, "push"), workload(dev, "router"), 9000), "push -> router");
        assertTrue(policies.admits(pod(dev, "auth"), workload(dev, "redis"), 6379), "auth -> redis");
        assertTrue(policies.admits(Validator.INTERNET, workload(dev, "push"), 7000), "internet -> push TCP");
    }

    @Test
    void prodCallsItsDatabaseAndBrokersAsExternalHosts() {
        Manifests prod = Overlays.rendered("prod");
        assertEquals(Set.of("user-grpc:9000", "leaf:9000", "mysql.example.internal:3306", "redis.example.internal:6379",
                "kafka-1.example.internal:9092", "kafka-2.example.internal:9092", "kafka-3.example.internal:9092",
                "auth:8080", "objects.example.internal:443"), targets(prod, "router"));
        NetworkPolicies policies = new NetworkPolicies(prod.networkPolicies());
        assertTrue(policies.letsOutToExternal(workload(prod, "push"), 5672), "push -> RabbitMQ");
        assertFalse(policies.letsOutToExternal(workload(prod, "push"), 3306), "push -> MySQL");
        assertTrue(policies.letsOutToExternal(workload(prod, "auth"), 6379), "auth -> Redis");
        assertTrue(policies.letsOutToExternal(workload(prod, "user"), 6379), "user -> Redis (revocations)");
        assertFalse(policies.letsOutToExternal(workload(prod, "leaf"), 6379), "leaf -> Redis");
        assertTrue(policies.letsOutToExternal(workload(prod, "router"), 443), "router -> the attachments' object store");
        assertFalse(policies.letsOutToExternal(workload(prod, "push"), 443), "push -> the object store");
    }

    @Test
    void devRunsEveryServiceAndItsDatabaseAndBrokersInTheCluster() {
        Manifests dev = Overlays.rendered("dev");
        assertEquals(Set.of("Deployment auth", "Deployment user", "Deployment leaf", "Deployment router",
                "StatefulSet push", "StatefulSet mysql", "StatefulSet redis", "StatefulSet kafka", "StatefulSet rabbitmq",
                "StatefulSet minio"),
                dev.workloads().stream().map(Workload::toString).collect(Collectors.toSet()));
        for (StatefulSet set : dev.statefulSets()) {
            if (!Manifests.name(set).equals("push")) {
                assertEquals(1, set.getSpec().getVolumeClaimTemplates().size(), Manifests.name(set) + " keeps its data");
            }
        }
        assertTrue(dev.configMap("im", dev.all().stream().map(HasMetadata::getMetadata)
                .map(m -> m.getName()).filter(n -> n.startsWith("mysql-init")).findFirst().orElseThrow())
                .map(c -> c.getData().values().stream().anyMatch(sql -> sql.contains("im_router")))
                .orElse(false), "the init script creates the router's database");
    }

    @Test
    void prodRunsNoBrokersAndScalesAndProtectsTheServices() {
        Manifests prod = Overlays.rendered("prod");
        assertEquals(Set.of("Deployment auth", "Deployment user", "Deployment leaf", "Deployment router",
                "StatefulSet push"), prod.workloads().stream().map(Workload::toString).collect(Collectors.toSet()));
        assertEquals(Set.of("auth", "router", "user"), prod.autoscalers().stream()
                .map(HorizontalPodAutoscaler::getSpec).map(s -> s.getScaleTargetRef().getName())
                .collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(Set.of("auth", "user", "leaf", "router", "push"), prod.disruptionBudgets().stream()
                .map(PodDisruptionBudget::getMetadata).map(m -> m.getName()).collect(Collectors.toSet()));
        for (Workload workload : prod.workloads()) {
            var spec = workload.template().getSpec();
            assertTrue(spec.getAffinity() != null && spec.getAffinity().getPodAntiAffinity() != null,
                    workload + " spreads over nodes");
            var resources = workload.containers().get(0).getResources();
            assertTrue(resources.getRequests().containsKey("cpu") && resources.getLimits().containsKey("memory"),
                    workload + " has requests and limits");
        }
    }

    private static Set<String> targets(Manifests manifests, String service) {
        return Overlays.VALIDATOR.calls(manifests, service).stream()
                .map(call -> call.host() + ":" + call.port())
                .collect(Collectors.toSet());
    }

    private static Workload workload(Manifests manifests, String name) {
        Optional<Workload> workload = manifests.workloads().stream().filter(w -> w.name().equals(name)).findFirst();
        return workload.orElseThrow(() -> new AssertionError("no workload " + name));
    }

    private static Peer.Pod pod(Manifests manifests, String name) {
        return new Peer.Pod(workload(manifests, name), manifests.namespaceLabels("im"));
    }
}
