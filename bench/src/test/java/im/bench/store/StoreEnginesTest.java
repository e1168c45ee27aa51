package im.bench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CI-size run of the engines comparison: both engines take the router's migrations and store every message. */
class StoreEnginesTest {

    @TempDir
    Path dir;

    @Test
    void everyEngineStoresEveryMessageOneByOneAndInBatches() throws Exception {
        for (StoreEngines.Engine engine : StoreEngines.Engine.values()) {
            for (int batch : new int[] {1, 7}) {
                Path work = Files.createTempDirectory(dir, engine.name());
                StoreEngines.Result result = StoreEngines.measure(engine, work, 5, batch, 30, 100, 20);
                assertEquals(130, result.stored(), engine + " batch " + batch);
                assertTrue(result.cpuMicros() > 0 && result.allocatedBytes() > 0, result.toString());
            }
        }
    }
}
