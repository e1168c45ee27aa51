package im.rabbitmq.retry;

import im.common.retry.RetryCheck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a retry-check message: the checks of one level handed over together, a fixed binary
 * layout (big-endian, as {@link DataOutputStream} writes it):
 *
 * <pre>
 * byte   version          2
 * int    count            1..MAX_CHECKS
 * count times:
 *   long userId
 *   long seq
 *   int  attempt
 *   long dueAtEpochMillis when the check is due (wall clock of the node that scheduled it)
 *   utf  deviceId         2-byte length + modified UTF-8
 *   utf  conversationId   2-byte length + modified UTF-8
 * </pre>
 *
 * Version 1, one check without the count, is still read: such messages may wait in the queues
 * when a node that wrote them is upgraded. Many checks per message because the broker's cost is
 * per message (a persistent publish, a dead-lettering, a delivery and its ack), and a node
 * schedules one check per Deliver it writes. Binary rather than JSON: a check is five ids read by
 * one component, 40-80 bytes this way, and the module needs no JSON library for it. It carries
 * ids only, never message content, so nothing readable of a conversation reaches the broker.
 */
final class RetryCheckCodec {

    /** The message content type, so that an operator browsing a queue knows what the bytes are. */
    static final String CONTENT_TYPE = "application/x-im-retry-check";
    static final byte SINGLE = 1;
    static final byte BATCH = 2;
    /** At most this many checks per message (a few tens of KiB). */
    static final int MAX_CHECKS = 512;

    private RetryCheckCodec() {
    }

    static byte[] encode(List<DueCheck> checks) {
        if (checks.isEmpty() || checks.size() > MAX_CHECKS) {
            throw new IllegalArgumentException("a message holds 1.." + MAX_CHECKS + " checks, not " + checks.size());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + 64 * checks.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(BATCH);
            out.writeInt(checks.size());
            for (DueCheck due : checks) {
                write(out, due);
            }
        } catch (IOException e) {
            // a ByteArrayOutputStream does not fail; writeUTF does past 65535 bytes, which no id reaches
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a body; {@link IllegalArgumentException} if it is not a message this version knows. */
    static List<DueCheck> decode(byte[] body) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            byte version = in.readByte();
            int count = switch (version) {
                case SINGLE -> 1;
                case BATCH -> in.readInt();
                default -> throw new IllegalArgumentException("unknown retry check version " + version);
            };
            if (count < 1 || count > MAX_CHECKS) {
                throw new IllegalArgumentException("retry check message claims " + count + " checks");
            }
            List<DueCheck> checks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                checks.add(read(in));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("retry check message has " + in.available() + " trailing bytes");
            }
            return checks;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or malformed retry check", e);
        }
    }

    private static void write(DataOutputStream out, DueCheck due) throws IOException {
        RetryCheck check = due.check();
        out.writeLong(check.userId());
        out.writeLong(check.seq());
        out.writeInt(check.attempt());
        out.writeLong(due.dueAtEpochMillis());
        out.writeUTF(check.deviceId());
        out.writeUTF(check.conversationId());
    }

    private static DueCheck read(DataInputStream in) throws IOException {
        long userId = in.readLong();
        long seq = in.readLong();
        int attempt = in.readInt();
        long dueAt = in.readLong();
        String deviceId = in.readUTF();
        String conversationId = in.readUTF();
        return new DueCheck(new RetryCheck(userId, deviceId, conversationId, seq, attempt), dueAt);
    }
}
