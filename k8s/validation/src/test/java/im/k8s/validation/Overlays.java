package im.k8s.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The repository's overlays, rendered once per test run, and the validator for its services. */
final class Overlays {

    /** The repository root; surefire passes it, a run from this module's directory falls back. */
    static final Path ROOT = Path.of(System.getProperty("im.repo.root", "../..")).toAbsolutePath().normalize();

    /** The services that run as workloads of the overlays (their app.kubernetes.io/name). */
    static final List<String> SERVICES = List.of("auth", "user", "leaf", "router", "push");

    /** Where the NetworkPolicies expect the ingress controller (ingress-nginx's usual namespace). */
    static final String INGRESS_NAMESPACE = "ingress-nginx";

    static final Validator VALIDATOR = Validator.forRepository(ROOT, SERVICES, INGRESS_NAMESPACE);

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    private Overlays() {
    }

    /** k8s/overlays/{name}, rendered by kubectl kustomize and parsed. */
    static Manifests rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, name -> render(ROOT.resolve("k8s/overlays").resolve(name)));
    }

    static Manifests render(Path directory) {
        return Manifests.parse(Kustomize.onPath().render(directory));
    }

    /** A copy of k8s/base and k8s/overlays under the directory, to break on purpose. */
    static Path copyOfK8s(Path directory) {
        Path target = directory.resolve("k8s");
        for (String part : List.of("base", "overlays")) {
            Path source = ROOT.resolve("k8s").resolve(part);
            try (Stream<Path> paths = Files.walk(source)) {
                for (Path path : paths.toList()) {
                    Path copy = target.resolve(part).resolve(source.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(path, copy);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return target;
    }
}
