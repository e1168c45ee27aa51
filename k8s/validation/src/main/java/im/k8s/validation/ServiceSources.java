package im.k8s.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's main Java sources show about its network face, for what its configuration
 * cannot say: whether it serves gRPC, whether it verifies access tokens (and so fetches auth's
 * JWKS), and the root paths of its REST resources.
 */
public final class ServiceSources {

    /** A type-level JAX-RS {@code @Path}: the annotation before the class or interface keyword. */
    private static final Pattern PATH = Pattern.compile("@Path\\(\"([^\"]*)\"\\)");
    private static final Pattern TYPE =
            Pattern.compile("(?m)^\\s*(?:(?:public|protected|final|abstract|sealed)\\s+)*(?:class|interface|record)\\s+\\w+");

    private final List<String> files;

    private ServiceSources(List<String> files) {
        this.files = files;
    }

    public static ServiceSources load(Path repositoryRoot, String service) {
        Path root = repositoryRoot.resolve("services/" + service + "/src/main/java");
        List<String> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                files.add(Files.readString(path, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + root, e);
        }
        return new ServiceSources(files);
    }

    /** A {@code @GrpcService} bean exists: Quarkus then starts the gRPC server (only then). */
    public boolean servesGrpc() {
        return files.stream().anyMatch(source -> source.contains("@GrpcService"));
    }

    /**
     * The service verifies access tokens itself: it uses im-common's {@code AccessTokenVerifier}
     * (gRPC callers, push sessions) or injects a {@code JsonWebToken} (REST), and so fetches the
     * JWKS at {@code mp.jwt.verify.publickey.location}.
     */
    public boolean verifiesTokens() {
        return files.stream().anyMatch(source -> source.contains("AccessTokenVerifier") || source.contains("JsonWebToken"));
    }

    /** The type-level {@code @Path} of every REST resource, e.g. {@code /auth}, {@code /users}. */
    public Set<String> restRoots() {
        Set<String> roots = new LinkedHashSet<>();
        for (String source : files) {
            Matcher type = TYPE.matcher(source);
            String head = type.find() ? source.substring(0, type.start()) : source;
            Matcher path = PATH.matcher(head);
            while (path.find()) {
                roots.add(path.group(1));
            }
        }
        return roots;
    }
}
