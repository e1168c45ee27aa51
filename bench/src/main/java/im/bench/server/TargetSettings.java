package im.bench.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the servers under test are started.
 *
 * @param workDir where each server gets its data directory and log
 * @param heap the -Xmx of both server processes, equal so that memory figures compare
 * @param standaloneJar the packaged standalone app (quarkus-run.jar)
 * @param cheapSetupHashing start the standalone with a minimal Argon2 cost: registering and
 *     logging in thousands of bench users is setup, not the measured path (Hello verifies a JWT,
 *     never a password), and at the production cost setup would dominate a run's time
 * @param javaOptions further JVM options of both servers (GC experiments), empty for none
 */
public record TargetSettings(Path workDir, String heap, Path standaloneJar, boolean cheapSetupHashing,
        String javaOptions) {

    /** The environment that hands {@link #javaOptions} to a server's JVM (and to no other). */
    public Map<String, String> javaOptionsEnvironment() {
        return javaOptions.isBlank() ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", javaOptions);
    }
}
