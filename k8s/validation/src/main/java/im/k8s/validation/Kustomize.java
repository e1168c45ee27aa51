package im.k8s.validation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Renders a Kustomize directory with {@code kubectl kustomize}, the same renderer {@code kubectl
 * apply -k} uses. A missing kubectl is an error, never a reason to skip: the overlays are only
 * validated as kubectl renders them.
 */
public final class Kustomize {

    /** Rendering a few dozen objects takes well under a second; this bounds a hung process. */
    private static final long TIMEOUT_SECONDS = 120;

    private final String kubectl;

    /** @param kubectl the kubectl command: a name looked up on PATH, or a path */
    public Kustomize(String kubectl) {
        this.kubectl = kubectl;
    }

    public static Kustomize onPath() {
        return new Kustomize("kubectl");
    }

    /** The YAML stream of every object the directory's kustomization produces. */
    public String render(Path directory) {
        if (!Files.isRegularFile(directory.resolve("kustomization.yaml"))) {
            throw new IllegalArgumentException("no kustomization.yaml in " + directory);
        }
        List<String> command = List.of(kubectl, "kustomize", directory.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl not found or not runnable (" + kubectl + "): the overlays are "
                    + "validated as `kubectl kustomize` renders them, so kubectl (1.27 or newer) must be on PATH. "
                    + "Cause: " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String output = read(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "): " + errors.join().strip());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("reading the output of " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
