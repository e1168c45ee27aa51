package im.k8s.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** An object that runs pods (Deployment, StatefulSet, DaemonSet), seen through its pod template. */
public record Workload(String kind, String namespace, String name, PodTemplateSpec template) {

    public Map<String, String> labels() {
        Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    public List<Container> containers() {
        return template.getSpec() == null || template.getSpec().getContainers() == null
                ? List.of() : template.getSpec().getContainers();
    }

    /** The {@code app.kubernetes.io/name} label, or the object's name without one. */
    public String appName() {
        return labels().getOrDefault("app.kubernetes.io/name", name);
    }

    public Stream<ContainerPort> ports() {
        return containers().stream().flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream());
    }

    /**
     * The container port a reference (a number, or a port name) designates in this pod, if declared.
     * Named references resolve by name only; numbered ones by number, as the API server resolves them.
     */
    public Optional<ContainerPort> port(IntOrString reference) {
        if (reference == null) {
            return Optional.empty();
        }
        if (reference.getIntVal() != null) {
            return port(reference.getIntVal());
        }
        String name = reference.getStrVal();
        return ports().filter(p -> name.equals(p.getName())).findFirst();
    }

    public Optional<ContainerPort> port(int number) {
        return ports().filter(p -> p.getContainerPort() != null && p.getContainerPort() == number).findFirst();
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }
}
