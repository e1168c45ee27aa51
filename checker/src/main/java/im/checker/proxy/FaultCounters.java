package im.checker.proxy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the proxy did, for the run's summary (counts by frame type where that helps a diagnosis). */
public final class FaultCounters {

    final LongAdder connections = new LongAdder();
    final LongAdder backendRefused = new LongAdder();
    final LongAdder forwarded = new LongAdder();
    final LongAdder delayed = new LongAdder();
    final LongAdder killedAtFrame = new LongAdder();
    final LongAdder killedByTimer = new LongAdder();
    final LongAdder killedAll = new LongAdder();
    final LongAdder errors = new LongAdder();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();

    void drop(String frameType) {
        dropped.computeIfAbsent(frameType, k -> new LongAdder()).increment();
    }

    public long connections() {
        return connections.sum();
    }

    public long forwarded() {
        return forwarded.sum();
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long kills() {
        return killedAtFrame.sum() + killedByTimer.sum();
    }

    /** One line: connections, forwarded, dropped (by type), delayed, kills. */
    public String summary() {
        Map<String, Long> byType = new TreeMap<>();
        dropped.forEach((type, n) -> byType.put(type, n.sum()));
        return "connections=" + connections.sum() + " backendRefused=" + backendRefused.sum()
                + " forwarded=" + forwarded.sum() + " dropped=" + droppedTotal() + " " + byType
                + " delayed=" + delayed.sum() + " killedAtFrame=" + killedAtFrame.sum()
                + " killedByTimer=" + killedByTimer.sum() + " killedAll=" + killedAll.sum()
                + " errors=" + errors.sum();
    }
}
