package im.push.connection;

import im.protocol.client.ErrorCode;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happens to this node's client connections, counted. Exported by {@link im.push.PushMetrics}
 * ({@code im_push_connections_*}, {@code im_push_frames_rejected_total}) and read by tests.
 */
@Singleton
public class ConnectionCounters {

    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refusedAtLimit = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final LongAdder slowClosed = new LongAdder();
    private final LongAdder ioErrors = new LongAdder();
    private final LongAdder unexpectedErrors = new LongAdder();
    private final LongAdder tlsFailures = new LongAdder();
    private final Map<ErrorCode, LongAdder> rejected = new EnumMap<>(ErrorCode.class);

    public ConnectionCounters() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNRECOGNIZED) {
                rejected.put(code, new LongAdder());
            }
        }
    }

    /** Counts a new connection if there is room for it; false when the node is full. */
    boolean tryOpen(int limit) {
        while (true) {
            int current = open.get();
            if (current >= limit) {
                refusedAtLimit.increment();
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                accepted.increment();
                return true;
            }
        }
    }

    void closed() {
        open.decrementAndGet();
    }

    void countIdleClose() {
        idleClosed.increment();
    }

    void countSlowClose() {
        slowClosed.increment();
    }

    void ioError() {
        ioErrors.increment();
    }

    void unexpectedError() {
        unexpectedErrors.increment();
    }

    void tlsFailure() {
        tlsFailures.increment();
    }

    /** A connection refused or failed with this protocol code (bad frames, replaced sessions...). */
    public void countRejected(ErrorCode code) {
        LongAdder adder = rejected.get(code);
        if (adder != null) {
            adder.increment();
        }
    }

    public int open() {
        return open.get();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long refusedAtLimit() {
        return refusedAtLimit.sum();
    }

    public long idleClosed() {
        return idleClosed.sum();
    }

    public long slowClosed() {
        return slowClosed.sum();
    }

    public long ioErrors() {
        return ioErrors.sum();
    }

    public long unexpectedErrors() {
        return unexpectedErrors.sum();
    }

    /** Connections closed because their TLS handshake or a TLS record failed (plain clients too). */
    public long tlsFailures() {
        return tlsFailures.sum();
    }

    public long rejected(ErrorCode code) {
        LongAdder adder = rejected.get(code);
        return adder == null ? 0 : adder.sum();
    }
}
