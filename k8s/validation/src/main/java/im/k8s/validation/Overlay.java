package im.k8s.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A rendered overlay as the checks read it: its workloads, which of them run one of the services,
 * each service container's environment, the pods behind a Service port, the Service a host names.
 */
final class Overlay {

    /** Value of variables that come from a Secret: present, never a host name. */
    static final String SECRET_VALUE = "<secret>";
    /** Value of a variable set from the pod's own name through the downward API. */
    static final String POD_NAME = "<fieldRef:metadata.name>";

    final Manifests manifests;
    final List<Workload> workloads;
    final NetworkPolicies policies;
    private final Map<String, ServiceConfig> configs;
    private final Map<String, ServiceSources> sources;

    Overlay(Manifests manifests, Map<String, ServiceConfig> configs, Map<String, ServiceSources> sources) {
        this.manifests = manifests;
        this.workloads = manifests.workloads();
        this.policies = new NetworkPolicies(manifests.networkPolicies());
        this.configs = configs;
        this.sources = sources;
    }

    /** Whether the workload runs one of the services (its app.kubernetes.io/name is the service's name). */
    boolean runsService(Workload workload) {
        return configs.containsKey(workload.appName());
    }

    ServiceConfig config(Workload workload) {
        return configs.get(workload.appName());
    }

    ServiceSources sources(Workload workload) {
        return sources.get(workload.appName());
    }

    /** The service's container: the one named as the service, if any. */
    Optional<Container> container(Workload workload) {
        return workload.containers().stream().filter(c -> c.getName().equals(workload.appName())).findFirst();
    }

    /** The container's environment as the pod sees it: envFrom first, env entries over it. */
    Map<String, String> environment(Workload workload, Container container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvFromSource from : list(container.getEnvFrom())) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                manifests.configMap(workload.namespace(), from.getConfigMapRef().getName())
                        .ifPresent(c -> data(c).forEach((k, v) -> environment.put(prefix + k, v)));
            }
            if (from.getSecretRef() != null) {
                manifests.secret(workload.namespace(), from.getSecretRef().getName())
                        .ifPresent(s -> secretKeys(s).forEach(k -> environment.put(prefix + k, SECRET_VALUE)));
            }
        }
        for (EnvVar variable : list(container.getEnv())) {
            EnvVarSource source = variable.getValueFrom();
            String value;
            if (source == null) {
                value = variable.getValue() == null ? "" : variable.getValue();
            } else if (source.getConfigMapKeyRef() != null) {
                value = manifests.configMap(workload.namespace(), source.getConfigMapKeyRef().getName())
                        .map(c -> data(c).get(source.getConfigMapKeyRef().getKey())).orElse("");
            } else if (source.getFieldRef() != null) {
                value = "metadata.name".equals(source.getFieldRef().getFieldPath()) ? POD_NAME
                        : "<fieldRef:" + source.getFieldRef().getFieldPath() + ">";
            } else {
                value = SECRET_VALUE;
            }
            environment.put(variable.getName(), value);
        }
        return environment;
    }

    /** The environment of the workload's service container (empty without one). */
    Map<String, String> environment(Workload workload) {
        return container(workload).map(c -> environment(workload, c)).orElse(Map.of());
    }

    List<Workload> selected(String namespace, LabelSelector selector) {
        return workloads.stream()
                .filter(w -> w.namespace().equals(namespace))
                .filter(w -> NetworkPolicies.selects(selector, w.labels()))
                .toList();
    }

    /** The pod templates a Service selects; a Service without a selector selects none. */
    List<Workload> selected(Service service) {
        Map<String, String> selector = service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        return selected(Manifests.namespace(service), new LabelSelectorBuilder().withMatchLabels(selector).build());
    }

    /** The pods behind a Service port and their container port, or empty when that cannot be traced. */
    Optional<List<Backend>> backends(Service service, ServicePort port) {
        List<Workload> selected = selected(service);
        if (selected.isEmpty()) {
            return Optional.empty();
        }
        List<Backend> backends = new ArrayList<>();
        for (Workload workload : selected) {
            Optional<ContainerPort> declared = workload.port(targetPort(port));
            if (declared.isEmpty()) {
                return Optional.empty();
            }
            backends.add(new Backend(workload, declared.get().getContainerPort()));
        }
        return Optional.of(backends);
    }

    /** The Service a host names: name, name.namespace, name.namespace.svc[.cluster.local]. */
    Optional<Service> serviceNamed(String host, String callerNamespace) {
        String[] parts = host.split("\\.");
        String namespace = parts.length > 1 ? parts[1] : callerNamespace;
        boolean clusterName = parts.length <= 2
                || (parts.length == 3 && parts[2].equals("svc"))
                || (parts.length == 5 && host.endsWith(".svc.cluster.local"));
        return clusterName ? manifests.service(namespace, parts[0]) : Optional.empty();
    }

    Peer.Pod pod(Workload workload) {
        return new Peer.Pod(workload, manifests.namespaceLabels(workload.namespace()));
    }

    /** A pod template behind a Service port, and the container port a connection lands on. */
    record Backend(Workload workload, int port) {
    }

    // ---- small readers of the model

    static boolean headless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }

    static IntOrString targetPort(ServicePort port) {
        return port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
    }

    static String describe(IntOrString value) {
        return value == null ? "(none)" : value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
    }

    static String describe(ServicePort port) {
        return port.getPort() + (port.getName() == null ? "" : " (" + port.getName() + ")");
    }

    static String protocol(String protocol) {
        return protocol == null ? "TCP" : protocol;
    }

    static Map<String, String> data(ConfigMap configMap) {
        return configMap.getData() == null ? Map.of() : configMap.getData();
    }

    static Set<String> secretKeys(Secret secret) {
        Set<String> keys = new LinkedHashSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return keys;
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}
