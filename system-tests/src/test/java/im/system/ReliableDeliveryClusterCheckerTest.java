package im.system;

import im.checker.StandaloneProcess;
import im.checker.scenario.CheckerReport;
import im.checker.scenario.CheckerSettings;
import im.checker.scenario.GroupWorkload;
import im.checker.scenario.ReliableDeliveryScenario;
import im.checker.system.ClusterFault;
import im.checker.system.ClusterSystem;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection checker against the local cluster at CI size: 6 users with 2 devices each,
 * partners on different push nodes, and 2 groups of 4 with members on both nodes, send 400
 * messages (about a third to their groups) through proxies that drop 2% of frames, delay 5% and
 * cut connections, while push-1 and router-1 are killed with SIGKILL and Redis, RabbitMQ and Kafka
 * are restarted, one after the other. Every send is acknowledged and no device loses, repeats or
 * reorders a message, in a private chat or a group.
 */
class ReliableDeliveryClusterCheckerTest {

    @Test
    void underKilledNodesRestartedBrokersAndDroppedFrames_everySendIsAckedAndEveryDeviceShowsTheSameMessagesOnceInOrder_inChatsAndGroups()
            throws Exception {
        CheckerSettings settings = new CheckerSettings(
                6, 2, new GroupWorkload(2, 4, 0.3), 400,
                3, 30,
                0.02, 0.05, 800, 0.002, 0,
                5, false,
                Long.getLong("im.checker.seed", 20261202L),
                Duration.ofSeconds(180),
                Path.of("unused: the cluster runs the services' own packages"),
                Path.of(System.getProperty(StandaloneProcess.WORK_PROPERTY, "target/system-tests")),
                "512m");
        ClusterSystem cluster = new ClusterSystem(Path.of(System.getProperty("im.repository", "..")),
                settings.work(), ClusterFault.CYCLE);

        CheckerReport report = new ReliableDeliveryScenario(settings, cluster, System.out).run();
        report.print(System.out);

        CheckerVerdict.assertPromiseKept(report, settings);
    }
}
