package im.bench.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the servers under test are started.
 *
 * @param workDir where each server gets its data directory and log
 * @param heap the -Xmx of the relay and the standalone, equal so that memory figures compare
 *     (each cluster node takes {@code IM_CLUSTER_HEAP} from the environment, 256m by default)
 * @param standaloneJar the packaged standalone app (quarkus-run.jar)
 * @param cheapSetupHashing start the standalone with a minimal Argon2 cost: registering and
 *     logging in thousands of bench users is setup, not the measured path (Hello verifies a JWT,
 *     never a password), and at the production cost setup would dominate a run's time
 * @param javaOptions further JVM options of the relay and the standalone (GC experiments), empty for none
 * @param repository the project's root, where {@code scripts/cluster.sh} is
 * @param clusterPushNodes push nodes of the cluster target (2..9)
 */
public record TargetSettings(Path workDir, String heap, Path standaloneJar, boolean cheapSetupHashing,
        String javaOptions, Path repository, int clusterPushNodes) {

    public TargetSettings {
        if (clusterPushNodes < 2 || clusterPushNodes > 9) {
            throw new IllegalArgumentException("cluster push nodes must be 2..9 (cluster.sh's range), got "
                    + clusterPushNodes);
        }
    }

    /** Settings without a cluster of more than the default two push nodes, run from the repository's root. */
    public TargetSettings(Path workDir, String heap, Path standaloneJar, boolean cheapSetupHashing, String javaOptions) {
        this(workDir, heap, standaloneJar, cheapSetupHashing, javaOptions, Path.of("."), 2);
    }

    public TargetSettings withClusterPushNodes(int pushNodes) {
        return new TargetSettings(workDir, heap, standaloneJar, cheapSetupHashing, javaOptions, repository, pushNodes);
    }

    /** The environment that hands {@link #javaOptions} to a server's JVM (and to no other). */
    public Map<String, String> javaOptionsEnvironment() {
        return javaOptions.isBlank() ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", javaOptions);
    }
}
