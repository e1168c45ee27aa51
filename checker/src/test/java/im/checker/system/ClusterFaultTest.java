package im.checker.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterFaultTest {

    @Test
    void cycleNames_nameTheCycle() {
        List<ClusterFault> parsed = Arrays.stream(ClusterFault.CYCLE_NAMES.split(",")).map(ClusterFault::named).toList();
        assertEquals(ClusterFault.CYCLE, parsed);
    }

    @Test
    void named_takesTheCommandLineName_andListsTheNamesWhenUnknown() {
        assertEquals(ClusterFault.ROUTER_2, ClusterFault.named(" Router-2 "));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ClusterFault.named("leaf"));
        assertTrue(unknown.getMessage().contains("push-1, push-2, router-1, router-2, redis, rabbitmq, kafka"),
                unknown.getMessage());
    }

    @Test
    void faultK_cyclesThroughTheList() {
        ClusterSystem system = new ClusterSystem(Path.of("."), Path.of("target"),
                List.of(ClusterFault.PUSH_1, ClusterFault.REDIS));
        assertEquals(ClusterFault.PUSH_1.description(), system.describeFault(1));
        assertEquals(ClusterFault.REDIS.description(), system.describeFault(2));
        assertEquals(ClusterFault.PUSH_1.description(), system.describeFault(3));
    }
}
