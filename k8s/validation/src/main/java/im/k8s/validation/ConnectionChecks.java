package im.k8s.validation;

import static im.k8s.validation.Overlay.list;

import im.k8s.validation.Overlay.Backend;
import im.k8s.validation.Problem.Check;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The checks of who may connect to whom. The connections the overlay needs are those the services'
 * configuration makes (their {@link Calls}), the Ingress routes (from the ingress controller) and
 * the public Services (from anywhere); each must be allowed by the NetworkPolicies, each configured
 * host must be a Service of the overlay or an external host let out by an egress rule, the Ingress
 * must route every REST root and the WebSocket path, and nothing beyond must be allowed.
 *
 * <p>A peer with a needed connection that cannot be traced to pods (a Service that selects
 * nothing, a target port that resolves to no container port) is left out of the "nothing else"
 * check: the broken reference is reported once, by {@link ObjectChecks}, and what it would hide is
 * not reported as well.
 */
final class ConnectionChecks {

    private final Overlay overlay;
    private final NetworkPolicies policies;
    private final Peer ingressController;
    private final Peer internet;
    private final Consumer<Problem> problems;

    /** Connections some call, route or public Service needs: "peer->namespace/workload|port". */
    private final Set<String> expected = new HashSet<>();
    /** Container ports open to everyone through a LoadBalancer or NodePort Service: "namespace/workload|port". */
    private final Set<String> publicPorts = new HashSet<>();
    /** Peers with a needed connection that could not be traced to pods. */
    private final Set<String> untraced = new HashSet<>();
    /** External calls, "namespace/workload|port", and their ports. */
    private final Set<String> externalCalls = new HashSet<>();
    private final Set<Integer> externalPorts = new TreeSet<>();

    ConnectionChecks(Overlay overlay, Peer ingressController, Peer internet, Consumer<Problem> problems) {
        this.overlay = overlay;
        this.policies = overlay.policies;
        this.ingressController = ingressController;
        this.internet = internet;
        this.problems = problems;
    }

    void run() {
        for (Workload workload : overlay.workloads) {
            if (overlay.runsService(workload) && overlay.container(workload).isPresent()) {
                checkCalls(workload);
            }
        }
        checkIngresses();
        checkPublicServices();
        checkNothingElseIsAllowed();
    }

    private void checkCalls(Workload workload) {
        List<Call> calls;
        try {
            calls = Calls.of(overlay.config(workload), overlay.sources(workload), overlay.environment(workload));
        } catch (IllegalArgumentException e) {
            problem(Check.HOST, workload + ": a configured address cannot be read: " + e.getMessage());
            untraced.add(key(overlay.pod(workload)));
            return;
        }
        Peer.Pod caller = overlay.pod(workload);
        for (Call call : calls) {
            Optional<Service> target = overlay.serviceNamed(call.host(), workload.namespace());
            if (target.isEmpty()) {
                if (call.host().contains(".")) {
                    checkExternalCall(workload, call);
                } else {
                    problem(Check.HOST, call + ": " + call.host() + " is no Service of the overlay");
                    untraced.add(key(caller));
                }
                continue;
            }
            Service called = target.get();
            if (call.everyAddress() && !Overlay.headless(called)) {
                problem(Check.HOST, call + ": the caller connects to every address of " + call.host()
                        + ", but Service " + Manifests.name(called) + " is not headless (clusterIP: None)");
            }
            Optional<ServicePort> port = called.getSpec().getPorts().stream()
                    .filter(p -> p.getPort() == call.port()).findFirst();
            if (port.isEmpty()) {
                problem(Check.HOST, call + ": Service " + Manifests.name(called) + " has no port " + call.port());
                untraced.add(key(caller));
                continue;
            }
            Optional<List<Backend>> backends = overlay.backends(called, port.get());
            if (backends.isEmpty()) {
                untraced.add(key(caller));
                continue;
            }
            for (Backend backend : backends.get()) {
                expect(caller, backend);
                if (!allowed(caller, backend.workload(), backend.port())) {
                    problem(Check.CALL_DENIED, call + " is not allowed by the NetworkPolicies to reach "
                            + backend.workload().appName() + " port " + backend.port());
                }
            }
        }
    }

    /** A host that is no Service of the overlay: an explicit egress rule must let the caller out to it. */
    private void checkExternalCall(Workload workload, Call call) {
        externalCalls.add(key(overlay.pod(workload)) + "|" + call.port());
        externalPorts.add(call.port());
        if (!policies.letsOutToExternal(workload, call.port())
                || !policies.letsOut(workload, new Peer.External(call.host(), Optional.empty()), call.port())) {
            problem(Check.CALL_DENIED, call + ": " + call.host() + " is no Service of the overlay, so an external "
                    + "host, and no egress rule lets " + workload.appName() + " out to an address block on port "
                    + call.port());
        }
    }

    private void checkIngresses() {
        List<Route> routes = new ArrayList<>();
        for (Ingress ingress : overlay.manifests.ingresses()) {
            for (IngressRule rule : list(ingress.getSpec().getRules())) {
                if (rule.getHttp() == null) {
                    continue;
                }
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    routes.addAll(route(ingress, path));
                }
            }
        }
        for (Workload workload : overlay.workloads) {
            if (!overlay.runsService(workload) || overlay.container(workload).isEmpty()) {
                continue;
            }
            String service = workload.appName();
            ServiceConfig config = overlay.config(workload);
            Map<String, String> environment = overlay.environment(workload);
            int httpPort = config.intValue("quarkus.http.port", environment, ObjectChecks.HTTP_PORT);
            for (String root : overlay.sources(workload).restRoots()) {
                if (routes.stream().noneMatch(r -> r.serves(root, workload, httpPort))) {
                    problem(Check.INGRESS_ROUTE, service + "'s REST resources at " + root
                            + " are routed to its HTTP port by no Ingress");
                }
            }
            if (config.defines("im.push.websocket.path")) {
                String path = config.value("im.push.websocket.path", environment).orElseThrow();
                int port = config.intValue("im.push.websocket.port", environment, -1);
                if (routes.stream().noneMatch(r -> r.serves(path, workload, port))) {
                    problem(Check.INGRESS_ROUTE, service + "'s WebSocket path " + path + " is routed to its port "
                            + port + " by no Ingress");
                }
            }
        }
    }

    /** Where one Ingress path lands; the ingress controller must be admitted there. */
    private List<Route> route(Ingress ingress, HTTPIngressPath path) {
        IngressServiceBackend backend = path.getBackend().getService();
        if (backend == null) {
            return List.of();
        }
        String where = "Ingress " + Manifests.name(ingress) + " path " + path.getPath();
        Optional<Service> service = overlay.manifests.service(Manifests.namespace(ingress), backend.getName());
        if (service.isEmpty()) {
            problem(Check.INGRESS_ROUTE, where + ": Service " + backend.getName() + " is absent");
            untraced.add(key(ingressController));
            return List.of();
        }
        ServiceBackendPort wanted = backend.getPort();
        Optional<ServicePort> port = service.get().getSpec().getPorts().stream()
                .filter(p -> wanted.getName() != null ? wanted.getName().equals(p.getName())
                        : wanted.getNumber() != null && wanted.getNumber().equals(p.getPort()))
                .findFirst();
        if (port.isEmpty()) {
            problem(Check.INGRESS_ROUTE, where + ": Service " + backend.getName() + " has no port "
                    + (wanted.getName() != null ? wanted.getName() : wanted.getNumber()));
            untraced.add(key(ingressController));
            return List.of();
        }
        Optional<List<Backend>> backends = overlay.backends(service.get(), port.get());
        if (backends.isEmpty()) {
            untraced.add(key(ingressController));
            return List.of();
        }
        List<Route> routes = new ArrayList<>();
        for (Backend target : backends.get()) {
            routes.add(new Route(path.getPath(), path.getPathType(), target));
            expect(ingressController, target);
            if (!policies.admits(ingressController, target.workload(), target.port())) {
                problem(Check.CALL_DENIED, where + ": the ingress controller may not reach "
                        + target.workload().appName() + " port " + target.port());
            }
        }
        return routes;
    }

    /** LoadBalancer and NodePort Services: open to everyone, so the internet must be admitted. */
    private void checkPublicServices() {
        for (Service service : overlay.manifests.services()) {
            String type = service.getSpec().getType();
            if (!"LoadBalancer".equals(type) && !"NodePort".equals(type)) {
                continue;
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                Optional<List<Backend>> backends = overlay.backends(service, port);
                if (backends.isEmpty()) {
                    untraced.add(key(internet));
                    continue;
                }
                for (Backend backend : backends.get()) {
                    publicPorts.add(destination(backend.workload(), backend.port()));
                    if (!policies.admits(internet, backend.workload(), backend.port())) {
                        problem(Check.CALL_DENIED, "Service " + Manifests.name(service) + " (" + type + ") port "
                                + Overlay.describe(port) + ": clients outside the cluster may not reach "
                                + backend.workload().appName() + " port " + backend.port());
                    }
                }
            }
        }
    }

    /**
     * Every connection the policies allow between the overlay's pods, from the ingress controller
     * and from the internet, must be one a call, route or public Service needs; and no pod may
     * reach external addresses on a port it makes no external call to.
     */
    private void checkNothingElseIsAllowed() {
        List<Peer> peers = new ArrayList<>();
        overlay.workloads.forEach(w -> peers.add(overlay.pod(w)));
        peers.add(ingressController);
        peers.add(internet);
        for (Peer from : peers) {
            if (untraced.contains(key(from))) {
                continue;
            }
            for (Workload to : overlay.workloads) {
                Set<Integer> ports = new TreeSet<>();
                to.ports().filter(p -> "TCP".equals(Overlay.protocol(p.getProtocol())))
                        .forEach(p -> ports.add(p.getContainerPort()));
                for (int port : ports) {
                    String connection = key(from) + "->" + destination(to, port);
                    if (!publicPorts.contains(destination(to, port)) && !expected.contains(connection)
                            && allowed(from, to, port)) {
                        problem(Check.NOT_A_CALL, from + " may connect to " + to.appName() + " port " + port
                                + ", which no call, Ingress route or public Service needs");
                    }
                }
            }
        }
        for (Workload workload : overlay.workloads) {
            String source = key(overlay.pod(workload));
            if (untraced.contains(source)) {
                continue;
            }
            for (int port : externalPorts) {
                if (policies.letsOutToExternal(workload, port) && !externalCalls.contains(source + "|" + port)) {
                    problem(Check.NOT_A_CALL, workload.appName() + " may connect to external addresses on port "
                            + port + ", but makes no external call to that port");
                }
            }
        }
    }

    /** Both ends agree: the source may connect out (pods only) and the destination admits it. */
    private boolean allowed(Peer from, Workload to, int port) {
        boolean out = !(from instanceof Peer.Pod source) || policies.letsOut(source.workload(), overlay.pod(to), port);
        return out && policies.admits(from, to, port);
    }

    private void expect(Peer from, Backend backend) {
        expected.add(key(from) + "->" + destination(backend.workload(), backend.port()));
    }

    private static String destination(Workload workload, int port) {
        return workload.namespace() + "/" + workload.name() + "|" + port;
    }

    private static String key(Peer peer) {
        if (peer instanceof Peer.Pod pod) {
            return pod.workload().namespace() + "/" + pod.workload().name();
        }
        return peer.toString();
    }

    private void problem(Check check, String message) {
        problems.accept(new Problem(check, message));
    }

    /** An Ingress path and where it lands. */
    private record Route(String path, String pathType, Backend backend) {

        /** Whether a request for this path reaches the workload's port through this route. */
        boolean serves(String requestPath, Workload workload, int port) {
            boolean matches = "Exact".equals(pathType) ? requestPath.equals(path)
                    : requestPath.equals(path) || requestPath.startsWith(path.endsWith("/") ? path : path + "/");
            return matches && backend.workload().name().equals(workload.name())
                    && backend.workload().namespace().equals(workload.namespace()) && backend.port() == port;
        }
    }
}
