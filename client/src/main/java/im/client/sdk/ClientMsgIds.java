package im.client.sdk;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * The idempotency keys the SDK gives its sends: UUIDv7 (RFC 9562), whose text sorts in the order
 * the ids were made.
 *
 * <p>Why time-ordered: the router's unique index of (client_msg_id, sender) then grows at its
 * right edge, so a commit of many devices' sends writes a few index pages instead of one page per
 * sender (random UUIDs scatter across the whole index). Any unique text still works as a key; this
 * only makes the common case cheap.
 */
public final class ClientMsgIds {

    // Thread-safe, and ids it makes within one millisecond still ascend.
    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private ClientMsgIds() {
    }

    /** A new key. */
    public static String next() {
        return GENERATOR.generate().toString();
    }
}
