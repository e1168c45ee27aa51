package im.push.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Netty's leak detector at PARANOID (every buffer tracked) for the length of a fuzz run, with its
 * reports captured instead of only logged, so a test can fail on them. Netty reports a leak
 * through its internal logger, which ends in java.util.logging here (JBoss LogManager in the
 * Quarkus app, the JDK's otherwise), under the detector's class name.
 */
public final class LeakWatch implements AutoCloseable {

    private static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();

    private final Logger logger = Logger.getLogger(DETECTOR_LOGGER);
    private final ResourceLeakDetector.Level previous = ResourceLeakDetector.getLevel();
    private final List<String> reports = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue() || String.valueOf(record.getMessage()).contains("LEAK")) {
                synchronized (reports) {
                    reports.add(record.getMessage());
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LeakWatch() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        logger.addHandler(handler);
    }

    /**
     * Leak reports so far. Netty notices a leaked buffer only when the buffer has been collected
     * and a later allocation polls the detector's queue: collect garbage and allocate a few
     * tracked buffers first.
     */
    public List<String> reports() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            System.runFinalization();
            for (int j = 0; j < 64; j++) {
                ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(16);
                probe.release();
                ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(16);
                direct.release();
            }
        }
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    /** Drops the reports so far (after a leak made on purpose). */
    public void forget() {
        synchronized (reports) {
            reports.clear();
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        ResourceLeakDetector.setLevel(previous);
    }
}
