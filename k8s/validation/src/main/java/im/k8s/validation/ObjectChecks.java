package im.k8s.validation;

import static im.k8s.validation.Overlay.describe;
import static im.k8s.validation.Overlay.list;
import static im.k8s.validation.Overlay.protocol;

import im.k8s.validation.Problem.Check;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The checks of the objects themselves and of the service containers against their services:
 * selectors, Service target ports, container ports, probes, environment variables, references to
 * ConfigMaps, Secrets and workloads, and the push node id.
 */
final class ObjectChecks {

    /**
     * Variables the JVM image reads rather than the application (run-java.sh of
     * src/main/docker/Dockerfile.jvm), which an operator may set on a pod.
     */
    private static final Set<String> IMAGE_VARIABLES = Set.of(
            // extra JVM options, appended to the ones Dockerfile.jvm sets
            "JAVA_OPTS_APPEND",
            // the heap as a percentage of the container's memory limit
            "JAVA_MAX_MEM_RATIO");

    /** Quarkus' HTTP and gRPC server ports when the files leave them to the default. */
    static final int HTTP_PORT = 8080;
    private static final int GRPC_SERVER_PORT = 9000;

    /** The Quarkus (SmallRye Health) endpoint each kind of probe must ask. */
    private static final Map<String, String> HEALTH_PATHS = Map.of(
            "readinessProbe", "/q/health/ready",
            "livenessProbe", "/q/health/live",
            "startupProbe", "/q/health/started");

    private final Overlay overlay;
    private final Consumer<Problem> problems;

    ObjectChecks(Overlay overlay, Consumer<Problem> problems) {
        this.overlay = overlay;
        this.problems = problems;
    }

    void run() {
        checkWorkloadSelectors();
        checkServices();
        for (Workload workload : overlay.workloads) {
            checkReferences(workload);
            if (overlay.runsService(workload)) {
                checkServiceContainer(workload);
            } else {
                workload.containers().forEach(container -> checkProbePorts(workload, container));
            }
        }
        checkAutoscalers();
    }

    private void checkWorkloadSelectors() {
        for (Deployment deployment : overlay.manifests.deployments()) {
            checkOwnSelector("Deployment " + Manifests.name(deployment), deployment.getSpec().getSelector(),
                    deployment.getSpec().getTemplate());
        }
        for (StatefulSet set : overlay.manifests.statefulSets()) {
            String name = Manifests.name(set);
            checkOwnSelector("StatefulSet " + name, set.getSpec().getSelector(), set.getSpec().getTemplate());
            String serviceName = set.getSpec().getServiceName();
            Optional<Service> governing = serviceName == null ? Optional.empty()
                    : overlay.manifests.service(Manifests.namespace(set), serviceName);
            if (governing.isEmpty() || !Overlay.headless(governing.get())) {
                problem(Check.REFERENCE, "StatefulSet " + name + ": serviceName " + serviceName
                        + " is no headless Service of the overlay (its pods' stable DNS names need one)");
            }
        }
        for (PodDisruptionBudget budget : overlay.manifests.disruptionBudgets()) {
            if (overlay.selected(Manifests.namespace(budget), budget.getSpec().getSelector()).isEmpty()) {
                problem(Check.SELECTOR, "PodDisruptionBudget " + Manifests.name(budget) + " selects no pod template");
            }
        }
    }

    private void checkOwnSelector(String what, LabelSelector selector, PodTemplateSpec template) {
        Map<String, String> labels = template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of() : template.getMetadata().getLabels();
        if (!NetworkPolicies.selects(selector, labels)) {
            problem(Check.SELECTOR, what + ": its selector does not select its own pod template");
        }
    }

    private void checkServices() {
        for (Service service : overlay.manifests.services()) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue; // endpoints managed elsewhere
            }
            List<Workload> selected = overlay.selected(service);
            if (selected.isEmpty()) {
                problem(Check.SELECTOR, "Service " + Manifests.name(service) + ": selector " + selector
                        + " matches no pod template");
                continue;
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = Overlay.targetPort(port);
                for (Workload workload : selected) {
                    Optional<ContainerPort> declared = workload.port(target);
                    if (declared.isEmpty() || !protocol(declared.get().getProtocol()).equals(protocol(port.getProtocol()))) {
                        problem(Check.TARGET_PORT, "Service " + Manifests.name(service) + " port " + describe(port)
                                + ": targetPort " + describe(target) + " is no declared " + protocol(port.getProtocol())
                                + " container port of " + workload);
                    }
                }
            }
        }
    }

    /** Ports, probes, environment and node id of a service's container, against the service's config. */
    private void checkServiceContainer(Workload workload) {
        String service = workload.appName();
        Optional<Container> found = overlay.container(workload);
        if (found.isEmpty()) {
            problem(Check.REFERENCE, workload + ": no container named " + service);
            return;
        }
        Container container = found.get();
        ServiceConfig config = overlay.config(workload);
        Map<String, String> environment = overlay.environment(workload, container);

        int httpPort = config.intValue("quarkus.http.port", environment, HTTP_PORT);
        Set<Integer> listening = new TreeSet<>();
        listening.add(httpPort);
        if (overlay.sources(workload).servesGrpc()) {
            listening.add(config.intValue("quarkus.grpc.server.port", environment, GRPC_SERVER_PORT));
        }
        for (String key : List.of("im.push.tcp.port", "im.push.websocket.port")) {
            if (config.defines(key)) {
                listening.add(config.intValue(key, environment, -1));
            }
        }
        for (ContainerPort port : list(container.getPorts())) {
            if (!listening.contains(port.getContainerPort())) {
                problem(Check.CONTAINER_PORT, workload + ": container port " + port.getContainerPort()
                        + (port.getName() == null ? "" : " (" + port.getName() + ")") + " is none that " + service
                        + " listens on " + listening);
            }
        }

        checkHealthProbe(workload, "readinessProbe", container.getReadinessProbe(), httpPort, true);
        checkHealthProbe(workload, "livenessProbe", container.getLivenessProbe(), httpPort, true);
        checkHealthProbe(workload, "startupProbe", container.getStartupProbe(), httpPort, false);

        Set<String> read = config.environmentNames();
        for (String name : environment.keySet()) {
            if (!read.contains(name) && !IMAGE_VARIABLES.contains(name)) {
                problem(Check.ENVIRONMENT, workload + " sets " + name + ", which " + service
                        + " does not read (no ${" + name + "} placeholder and no such key in its configuration)");
            }
        }

        if (config.defines("im.push.node-id")) {
            String nodeId = config.value("im.push.node-id", environment).orElse("unset");
            if (!Overlay.POD_NAME.equals(nodeId) || !"StatefulSet".equals(workload.kind())) {
                problem(Check.NODE_ID, workload + ": im.push.node-id must be the pod's own name (metadata.name "
                        + "through the downward API) in a StatefulSet, so that each node keeps its id; it is " + nodeId);
            }
        }
    }

    private void checkHealthProbe(Workload workload, String kind, Probe probe, int httpPort, boolean required) {
        if (probe == null) {
            if (required) {
                problem(Check.PROBE, workload + ": no " + kind);
            }
            return;
        }
        if (probe.getHttpGet() == null) {
            problem(Check.PROBE, workload + ": " + kind + " is not an HTTP GET of " + HEALTH_PATHS.get(kind));
            return;
        }
        String path = probe.getHttpGet().getPath();
        if (!HEALTH_PATHS.get(kind).equals(path)) {
            problem(Check.PROBE, workload + ": " + kind + " path " + path + " is not " + HEALTH_PATHS.get(kind));
        }
        Optional<ContainerPort> port = workload.port(probe.getHttpGet().getPort());
        if (port.isEmpty() || port.get().getContainerPort() != httpPort) {
            problem(Check.PROBE, workload + ": " + kind + " port " + describe(probe.getHttpGet().getPort())
                    + " is not the declared HTTP port " + httpPort);
        }
    }

    /** Other containers (databases, brokers): whatever their probes ask, they ask a declared port. */
    private void checkProbePorts(Workload workload, Container container) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("readinessProbe", container.getReadinessProbe());
        probes.put("livenessProbe", container.getLivenessProbe());
        probes.put("startupProbe", container.getStartupProbe());
        probes.forEach((kind, probe) -> {
            if (probe == null) {
                return;
            }
            IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                    : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
            if (port != null && workload.port(port).isEmpty()) {
                problem(Check.PROBE, workload + ": " + kind + " port " + describe(port) + " is no declared container port");
            }
        });
    }

    private void checkReferences(Workload workload) {
        String namespace = workload.namespace();
        Manifests manifests = overlay.manifests;
        for (Container container : workload.containers()) {
            for (EnvFromSource from : list(container.getEnvFrom())) {
                if (from.getConfigMapRef() != null && !isTrue(from.getConfigMapRef().getOptional())
                        && manifests.configMap(namespace, from.getConfigMapRef().getName()).isEmpty()) {
                    problem(Check.REFERENCE, workload + ": envFrom ConfigMap " + from.getConfigMapRef().getName() + " is absent");
                }
                if (from.getSecretRef() != null && !isTrue(from.getSecretRef().getOptional())
                        && manifests.secret(namespace, from.getSecretRef().getName()).isEmpty()) {
                    problem(Check.REFERENCE, workload + ": envFrom Secret " + from.getSecretRef().getName() + " is absent");
                }
            }
            for (EnvVar variable : list(container.getEnv())) {
                EnvVarSource source = variable.getValueFrom();
                if (source == null) {
                    continue;
                }
                if (source.getConfigMapKeyRef() != null && !isTrue(source.getConfigMapKeyRef().getOptional())) {
                    String name = source.getConfigMapKeyRef().getName();
                    String key = source.getConfigMapKeyRef().getKey();
                    if (manifests.configMap(namespace, name).map(c -> !Overlay.data(c).containsKey(key)).orElse(true)) {
                        problem(Check.REFERENCE, workload + ": " + variable.getName() + " from ConfigMap " + name
                                + " key " + key + ", which is absent");
                    }
                }
                if (source.getSecretKeyRef() != null && !isTrue(source.getSecretKeyRef().getOptional())) {
                    String name = source.getSecretKeyRef().getName();
                    String key = source.getSecretKeyRef().getKey();
                    if (manifests.secret(namespace, name).map(s -> !Overlay.secretKeys(s).contains(key)).orElse(true)) {
                        problem(Check.REFERENCE, workload + ": " + variable.getName() + " from Secret " + name
                                + " key " + key + ", which is absent");
                    }
                }
            }
        }
        if (workload.template().getSpec() == null) {
            return;
        }
        for (Volume volume : list(workload.template().getSpec().getVolumes())) {
            if (volume.getConfigMap() != null && !isTrue(volume.getConfigMap().getOptional())
                    && manifests.configMap(namespace, volume.getConfigMap().getName()).isEmpty()) {
                problem(Check.REFERENCE, workload + ": volume " + volume.getName() + " from ConfigMap "
                        + volume.getConfigMap().getName() + ", which is absent");
            }
            if (volume.getSecret() != null && !isTrue(volume.getSecret().getOptional())
                    && manifests.secret(namespace, volume.getSecret().getSecretName()).isEmpty()) {
                problem(Check.REFERENCE, workload + ": volume " + volume.getName() + " from Secret "
                        + volume.getSecret().getSecretName() + ", which is absent");
            }
        }
    }

    private void checkAutoscalers() {
        for (HorizontalPodAutoscaler autoscaler : overlay.manifests.autoscalers()) {
            CrossVersionObjectReference target = autoscaler.getSpec().getScaleTargetRef();
            boolean exists = overlay.workloads.stream().anyMatch(w -> w.kind().equals(target.getKind())
                    && w.name().equals(target.getName()) && w.namespace().equals(Manifests.namespace(autoscaler)));
            if (!exists) {
                problem(Check.REFERENCE, "HorizontalPodAutoscaler " + Manifests.name(autoscaler) + ": "
                        + target.getKind() + " " + target.getName() + " is absent");
            }
        }
    }

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    private void problem(Check check, String message) {
        problems.accept(new Problem(check, message));
    }
}
