package im.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import im.checker.scenario.GroupWorkload;
import im.checker.system.ClusterFault;
import im.checker.system.ClusterSystem;
import im.checker.system.StandaloneSystem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CheckerMainTest {

    @Test
    void byDefault_checksTheStandaloneApp() {
        CheckerMain main = new CheckerMain();
        new CommandLine(main).parseArgs("--seed", "3");
        assertInstanceOf(StandaloneSystem.class, main.system(main.settings()));
    }

    @Test
    void cluster_checksTheLocalCluster_withTheDefaultFaultCycle_fromTheCurrentDirectory() {
        CheckerMain main = new CheckerMain();
        new CommandLine(main).parseArgs("--cluster", "--restarts", "5");
        assertInstanceOf(ClusterSystem.class, main.system(main.settings()));
        assertEquals(ClusterFault.CYCLE, main.clusterFaults);
        assertEquals(Path.of("."), main.repository);
    }

    @Test
    void groups_byDefaultTwoOfFour_takingThreeTenthsOfTheSends_andNoneWithZero() {
        CheckerMain main = new CheckerMain();
        new CommandLine(main).parseArgs("--seed", "3");
        assertEquals(new GroupWorkload(2, 4, 0.3), main.settings().groups());

        CheckerMain privateOnly = new CheckerMain();
        new CommandLine(privateOnly).parseArgs("--groups", "0");
        assertEquals(0, privateOnly.settings().groups().count());
    }

    @Test
    void clusterFaults_takesACommaSeparatedListOfNames() {
        CheckerMain main = new CheckerMain();
        new CommandLine(main).parseArgs("--cluster", "--cluster-faults", "kafka,push-2");
        assertEquals(List.of(ClusterFault.KAFKA, ClusterFault.PUSH_2), main.clusterFaults);
        assertNotEquals(ClusterFault.CYCLE, main.clusterFaults);
    }
}
