package im.checker.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupWorkloadTest {

    @Test
    void members_areConsecutiveUsersSpreadOverTheRun_ownerFirst_wrappingPastTheLast() {
        GroupWorkload workload = new GroupWorkload(2, 4, 0.3);
        assertEquals(List.of(0, 1, 2, 3), workload.members(0, 6));
        assertEquals(List.of(3, 4, 5, 0), workload.members(1, 6));
    }

    @Test
    void everyGroup_hasMembersOnBothPushNodes() {
        for (int users : new int[] {2, 5, 6, 7, 100}) {
            for (int size = 2; size <= Math.min(users, 5); size++) {
                GroupWorkload workload = new GroupWorkload(Math.max(1, users / 3), size, 0.3);
                for (int k = 0; k < workload.count(); k++) {
                    Set<Integer> nodes = new HashSet<>();
                    for (int member : workload.members(k, users)) {
                        nodes.add(ReliableDeliveryScenario.homeNode(member, users, 2));
                    }
                    assertEquals(2, nodes.size(), users + " users, groups of " + size + ", group " + k);
                }
            }
        }
    }

    @Test
    void everyUserIsInAGroup_whenTheGroupsCoverThem() {
        GroupWorkload workload = new GroupWorkload(25, 4, 0.3);
        Set<Integer> inAGroup = new HashSet<>();
        for (int k = 0; k < workload.count(); k++) {
            inAGroup.addAll(workload.members(k, 100));
        }
        assertEquals(100, inAGroup.size());
    }

    @Test
    void settings_refuseGroupsLargerThanTheUsers_andAShareOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> settings(new GroupWorkload(1, 7, 0.3)));
        assertThrows(IllegalArgumentException.class, () -> new GroupWorkload(1, 4, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new GroupWorkload(1, 1, 0.3));
        assertTrue(settings(GroupWorkload.NONE).describe().contains("groups=0"));
    }

    private static CheckerSettings settings(GroupWorkload groups) {
        return new CheckerSettings(6, 2, groups, 10, 10, 10, 0, 0, 0, 0, 0, 0, false, 1, Duration.ofSeconds(1),
                Path.of("app.jar"), Path.of("work"), "64m");
    }
}
