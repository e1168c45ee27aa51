package im.bench.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the load connections observe, recorded from any event loop without locks. */
public final class LoadMetrics {

    /** Highest latency tracked: anything slower is a stall worth a minute, and clamped there. */
    private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Recorder oneWay = new Recorder(MAX_NANOS, 3);
    private final Recorder oneWayUncorrected = new Recorder(MAX_NANOS, 3);
    private final Recorder sendAck = new Recorder(MAX_NANOS, 3);
    // For the progress line, read once a second: a stall shows when it happens.
    private final Recorder oneWaySinceLastCall = new Recorder(MAX_NANOS, 2);
    public final LongAdder sent = new LongAdder();
    public final LongAdder acked = new LongAdder();
    public final LongAdder delivered = new LongAdder();
    public final LongAdder redelivered = new LongAdder();
    public final LongAdder errors = new LongAdder();
    /** Error frames by code and message: a run that collapses says why and where. */
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> errorCodes =
            new java.util.concurrent.ConcurrentHashMap<>();

    public void error(String code, String message) {
        errors.increment();
        // Numbers (timings, ports) would make every message its own key: one kind, one count.
        String kind = message.replaceAll("\\d+(\\.\\d+)?", "#");
        String key = kind.isEmpty() ? code : code + " (" + kind + ")";
        errorCodes.computeIfAbsent(key, c -> new LongAdder()).increment();
    }

    /** "UNAVAILABLE (router busy, retry later)=12, RATE_LIMITED=3", or "" when there were none. */
    public String errorSummary() {
        StringBuilder out = new StringBuilder();
        new java.util.TreeMap<>(errorCodes).forEach((code, count) ->
                out.append(out.length() == 0 ? "" : ", ").append(code).append('=').append(count.sum()));
        return out.toString();
    }

    public void oneWay(long correctedNanos, long uncorrectedNanos) {
        oneWay.recordValue(clamp(correctedNanos));
        oneWaySinceLastCall.recordValue(clamp(correctedNanos));
        oneWayUncorrected.recordValue(clamp(uncorrectedNanos));
    }

    public void sendAck(long nanos) {
        sendAck.recordValue(clamp(nanos));
    }

    /** Forgets the warm-up: the histograms restart empty. */
    public void resetHistograms() {
        oneWay.reset();
        oneWayUncorrected.reset();
        sendAck.reset();
    }

    public Histogram oneWaySnapshot() {
        return oneWay.getIntervalHistogram();
    }

    /** One-way latencies since the previous call. */
    public Histogram oneWaySinceLastCall() {
        return oneWaySinceLastCall.getIntervalHistogram();
    }

    public Histogram oneWayUncorrectedSnapshot() {
        return oneWayUncorrected.getIntervalHistogram();
    }

    public Histogram sendAckSnapshot() {
        return sendAck.getIntervalHistogram();
    }

    private static long clamp(long nanos) {
        return Math.max(1, Math.min(nanos, MAX_NANOS));
    }
}
