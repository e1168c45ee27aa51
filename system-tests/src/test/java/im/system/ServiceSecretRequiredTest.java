package im.system;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A cluster service started without the deployment's service secret stops at boot and names the
 * setting, instead of serving its gRPC methods to callers it cannot tell apart. The check lives
 * in im-common and runs in every service; leaf, the smallest, stands for them here.
 */
class ServiceSecretRequiredTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("im.repository", "..")).toAbsolutePath();

    @Test
    void leafWithoutTheServiceSecretRefusesToStartAndNamesTheSetting() throws Exception {
        Path jar = REPOSITORY.resolve("services/leaf/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.exists(jar), jar + " is built by mvn package");
        Path output = Files.createTempFile("leaf-without-secret", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + freePort(),
                "-Dquarkus.grpc.server.host=127.0.0.1", "-Dquarkus.grpc.server.port=" + freePort(),
                "-Dquarkus.datasource.jdbc.url=jdbc:mysql://127.0.0.1:3306/im_secret_check?createDatabaseIfNotExist=true",
                "-Dquarkus.datasource.username=root", "-Dquarkus.datasource.password=",
                "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().remove("IM_SERVICE_SECRET");
        Process leaf = builder.start();
        try {
            assertTrue(leaf.waitFor(2, TimeUnit.MINUTES), "leaf still running without a service secret");
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertNotEquals(0, leaf.exitValue(), log);
            assertTrue(log.contains("No service identity secret: set IM_SERVICE_SECRET"), log);
        } finally {
            leaf.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
