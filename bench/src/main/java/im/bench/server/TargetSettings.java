package im.bench.server;

import java.nio.file.Path;

/**
 * How the servers under test are started.
 *
 * @param workDir where each server gets its data directory and log
 * @param heap the -Xmx of both server processes, equal so that memory figures compare
 * @param standaloneJar the packaged standalone app (quarkus-run.jar)
 * @param cheapSetupHashing start the standalone with a minimal Argon2 cost: registering and
 *     logging in thousands of bench users is setup, not the measured path (Hello verifies a JWT,
 *     never a password), and at the production cost setup would dominate a run's time
 */
public record TargetSettings(Path workDir, String heap, Path standaloneJar, boolean cheapSetupHashing) {
}
