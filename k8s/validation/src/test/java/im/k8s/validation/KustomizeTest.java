package im.k8s.validation;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KustomizeTest {

    @Test
    void missingKubectlFailsWithAClearMessage() {
        Kustomize kustomize = new Kustomize("kubectl-that-is-not-installed");

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> kustomize.render(Overlays.ROOT.resolve("k8s/overlays/dev")));

        assertTrue(failure.getMessage().contains("kubectl not found"), failure.getMessage());
        assertTrue(failure.getMessage().contains("must be on PATH"), failure.getMessage());
    }

    @Test
    void aKustomizationThatDoesNotRenderFailsWithKubectlsMessage() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> Kustomize.onPath().render(Overlays.ROOT.resolve("k8s/validation/src/test/resources/unrenderable")));

        assertTrue(failure.getMessage().contains("failed"), failure.getMessage());
        assertTrue(failure.getMessage().contains("missing.yaml"), failure.getMessage());
    }
}
