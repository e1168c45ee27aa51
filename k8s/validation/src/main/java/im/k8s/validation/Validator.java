package im.k8s.validation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a rendered overlay against itself and against the services' own configuration and code
 * ({@link ObjectChecks}: selectors, ports, probes, environment variables, references;
 * {@link ConnectionChecks}: configured hosts, and NetworkPolicies that allow exactly the connections
 * the services make). Returns every problem found; none means valid.
 */
public final class Validator {

    /** A client somewhere on the internet (a TEST-NET-3 address), reaching the public Services. */
    public static final Peer.External INTERNET =
            new Peer.External("a client on the internet", Optional.of("203.0.113.7"));

    private final Map<String, ServiceConfig> configs;
    private final Map<String, ServiceSources> sources;
    private final Peer.ForeignPod ingressController;

    private Validator(Map<String, ServiceConfig> configs, Map<String, ServiceSources> sources,
            Peer.ForeignPod ingressController) {
        this.configs = configs;
        this.sources = sources;
        this.ingressController = ingressController;
    }

    /**
     * A validator for these services of the repository; each runs as the workload whose
     * {@code app.kubernetes.io/name} is the service's name.
     *
     * @param ingressNamespace the namespace of the ingress controller (ingress-nginx)
     */
    public static Validator forRepository(Path repositoryRoot, List<String> services, String ingressNamespace) {
        Map<String, ServiceConfig> configs = new LinkedHashMap<>();
        Map<String, ServiceSources> sources = new LinkedHashMap<>();
        for (String service : services) {
            configs.put(service, ServiceConfig.load(repositoryRoot, service));
            sources.put(service, ServiceSources.load(repositoryRoot, service));
        }
        Peer.ForeignPod controller = new Peer.ForeignPod("the ingress controller",
                Map.of("kubernetes.io/metadata.name", ingressNamespace),
                Map.of("app.kubernetes.io/name", ingressNamespace));
        return new Validator(configs, sources, controller);
    }

    public List<Problem> validate(Manifests manifests) {
        Overlay overlay = new Overlay(manifests, configs, sources);
        List<Problem> problems = new ArrayList<>();
        new ObjectChecks(overlay, problems::add).run();
        new ConnectionChecks(overlay, ingressController, INTERNET, problems::add).run();
        return List.copyOf(problems);
    }

    /** The connections a service's pod opens in this overlay, as derived from its configuration. */
    public List<Call> calls(Manifests manifests, String service) {
        Overlay overlay = new Overlay(manifests, configs, sources);
        return overlay.workloads.stream()
                .filter(w -> w.appName().equals(service) && overlay.container(w).isPresent())
                .findFirst()
                .map(w -> Calls.of(configs.get(service), sources.get(service), overlay.environment(w)))
                .orElse(List.of());
    }

    public Peer.ForeignPod ingressController() {
        return ingressController;
    }
}
