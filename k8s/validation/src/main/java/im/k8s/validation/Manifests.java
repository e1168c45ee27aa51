package im.k8s.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The objects of one rendered overlay, parsed into the fabric8 typed model, by kind. */
public final class Manifests {

    /** Building the mapper scans the model's classes: once per JVM, it is thread-safe after. */
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<HasMetadata> objects;

    private Manifests(List<HasMetadata> objects) {
        this.objects = List.copyOf(objects);
    }

    /** Parses a YAML stream of Kubernetes objects (the output of {@code kubectl kustomize}). */
    public static Manifests parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            for (Object item : list) {
                objects.add(typed(item));
            }
        } else if (parsed != null) {
            objects.add(typed(parsed));
        }
        return new Manifests(objects);
    }

    private static HasMetadata typed(Object item) {
        if (item instanceof HasMetadata object) {
            return object;
        }
        throw new IllegalArgumentException("not a Kubernetes object: " + item);
    }

    public List<HasMetadata> all() {
        return objects;
    }

    public List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment d) {
                workloads.add(new Workload("Deployment", namespace(d), name(d), d.getSpec().getTemplate()));
            } else if (object instanceof StatefulSet s) {
                workloads.add(new Workload("StatefulSet", namespace(s), name(s), s.getSpec().getTemplate()));
            } else if (object instanceof DaemonSet d) {
                workloads.add(new Workload("DaemonSet", namespace(d), name(d), d.getSpec().getTemplate()));
            }
        }
        return workloads;
    }

    public List<Deployment> deployments() {
        return of(Deployment.class);
    }

    public List<StatefulSet> statefulSets() {
        return of(StatefulSet.class);
    }

    public List<Service> services() {
        return of(Service.class);
    }

    public List<Ingress> ingresses() {
        return of(Ingress.class);
    }

    public List<NetworkPolicy> networkPolicies() {
        return of(NetworkPolicy.class);
    }

    public List<HorizontalPodAutoscaler> autoscalers() {
        return of(HorizontalPodAutoscaler.class);
    }

    public List<PodDisruptionBudget> disruptionBudgets() {
        return of(PodDisruptionBudget.class);
    }

    public Optional<ConfigMap> configMap(String namespace, String name) {
        return find(ConfigMap.class, namespace, name);
    }

    public Optional<Secret> secret(String namespace, String name) {
        return find(Secret.class, namespace, name);
    }

    public Optional<Service> service(String namespace, String name) {
        return find(Service.class, namespace, name);
    }

    /**
     * A namespace's labels: those of its Namespace object when the overlay has one, plus the
     * {@code kubernetes.io/metadata.name} label the API server puts on every namespace.
     */
    public Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> labels = new HashMap<>();
        find(Namespace.class, null, namespace).map(n -> n.getMetadata().getLabels()).ifPresent(labels::putAll);
        labels.put("kubernetes.io/metadata.name", namespace);
        return labels;
    }

    private <T extends HasMetadata> List<T> of(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
        return of(type).stream()
                .filter(o -> name.equals(name(o)) && (namespace == null || namespace.equals(namespace(o))))
                .findFirst();
    }

    static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    /** The object's namespace; objects without one would land in {@code default}. */
    static String namespace(HasMetadata object) {
        return Objects.requireNonNullElse(object.getMetadata().getNamespace(), "default");
    }
}
