package im.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's parts that need no packaged app: the port chooser and the not-started state. */
class StandaloneProcessTest {

    @Test
    void freePorts_areDistinct_andBelowTheEphemeralRange() {
        // One app binds all three: a repeated port fails its start. Drawn independently from 12 000
        // candidates, three repeat about once in 4 000 draws, so 10 000 draws would show it.
        for (int draw = 0; draw < 10_000; draw++) {
            int[] ports = StandaloneProcess.freePorts(3);
            assertEquals(3, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
            for (int port : ports) {
                assertTrue(port >= 20_000 && port < 32_000, "port " + port);
            }
        }
    }

    @Test
    void pid_beforeStart_isAnError(@TempDir Path work) throws Exception {
        StandaloneProcess server = new StandaloneProcess(work.resolve("absent.jar"), work, "unstarted", "64m");
        assertThrows(IllegalStateException.class, server::pid);
    }
}
