package im.bench.load;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;

/**
 * Message bodies that carry their own timing: the intended send time and the actual send time
 * (System.nanoTime of this JVM; sender and receiver are the same process), padded to the
 * payload size. Open-loop latency is measured from the intended time, which corrects for
 * coordinated omission: a stalled sender does not hide the queueing its stall caused.
 */
public final class Payloads {

    public static final int HEADER_BYTES = 16;

    private Payloads() {
    }

    public static ByteString body(long intendedNanos, long sentNanos, int size) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.max(HEADER_BYTES, size));
        buffer.putLong(intendedNanos).putLong(sentNanos);
        buffer.rewind();
        return ByteString.copyFrom(buffer);
    }

    public static long intendedNanos(ByteString body) {
        return body.size() >= HEADER_BYTES ? body.asReadOnlyByteBuffer().getLong(0) : 0L;
    }

    public static long sentNanos(ByteString body) {
        return body.size() >= HEADER_BYTES ? body.asReadOnlyByteBuffer().getLong(8) : 0L;
    }
}
