package im.rabbitmq.retry;

import im.common.retry.RetryCheck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The body of a retry-check message, a fixed binary layout (big-endian, as
 * {@link DataOutputStream} writes it):
 *
 * <pre>
 * byte   version          1
 * long   userId
 * long   seq
 * int    attempt
 * long   dueAtEpochMillis when the check is due (wall clock of the node that scheduled it)
 * utf    deviceId         2-byte length + modified UTF-8
 * utf    conversationId   2-byte length + modified UTF-8
 * </pre>
 *
 * Binary rather than JSON: a check is five ids read by one component, 40-80 bytes this way, and
 * the module needs no JSON library for it; the version byte lets the layout change while old
 * checks still sit in the queues (a reader refuses versions it does not know). It carries ids
 * only, never message content, so nothing readable of a conversation reaches the broker.
 */
final class RetryCheckCodec {

    /** The message content type, so that an operator browsing a queue knows what the bytes are. */
    static final String CONTENT_TYPE = "application/x-im-retry-check";
    static final byte VERSION = 1;

    private RetryCheckCodec() {
    }

    static byte[] encode(DueCheck due) {
        RetryCheck check = due.check();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(check.userId());
            out.writeLong(check.seq());
            out.writeInt(check.attempt());
            out.writeLong(due.dueAtEpochMillis());
            out.writeUTF(check.deviceId());
            out.writeUTF(check.conversationId());
        } catch (IOException e) {
            // a ByteArrayOutputStream does not fail; writeUTF does past 65535 bytes, which no id reaches
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a body; {@link IllegalArgumentException} if it is not a check this version knows. */
    static DueCheck decode(byte[] body) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown retry check version " + version);
            }
            long userId = in.readLong();
            long seq = in.readLong();
            int attempt = in.readInt();
            long dueAt = in.readLong();
            String deviceId = in.readUTF();
            String conversationId = in.readUTF();
            if (in.available() > 0) {
                throw new IllegalArgumentException("retry check has " + in.available() + " trailing bytes");
            }
            return new DueCheck(new RetryCheck(userId, deviceId, conversationId, seq, attempt), dueAt);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or malformed retry check", e);
        }
    }
}
