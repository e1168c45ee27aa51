package im.rabbitmq.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.retry.RetryCheck;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The message body of checks: it reads back as written, and refuses what it does not know. */
class RetryCheckCodecTest {

    private static final DueCheck DUE = new DueCheck(new RetryCheck(42, "phone-é", "g:7", 1_000_000_007L, 3),
            1_764_000_000_123L);
    private static final DueCheck OTHER = new DueCheck(new RetryCheck(43, "laptop", "p:42:43", 9, 0),
            1_764_000_000_456L);

    @Test
    void checksReadBackAsWrittenInTheirOrder() {
        assertEquals(List.of(DUE, OTHER), RetryCheckCodec.decode(RetryCheckCodec.encode(List.of(DUE, OTHER))));
        assertEquals(List.of(DUE), RetryCheckCodec.decode(RetryCheckCodec.encode(List.of(DUE))));
    }

    @Test
    void aSingleCheckOfTheFirstVersionStillReads() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(42);
            out.writeLong(1_000_000_007L);
            out.writeInt(3);
            out.writeLong(1_764_000_000_123L);
            out.writeUTF("phone-é");
            out.writeUTF("g:7");
        }
        assertEquals(List.of(DUE), RetryCheckCodec.decode(bytes.toByteArray()));
    }

    @Test
    void anUnknownVersion_aTruncatedBody_aWrongCount_orTrailingBytes_areRefused() {
        byte[] body = RetryCheckCodec.encode(List.of(DUE, OTHER));
        byte[] otherVersion = body.clone();
        otherVersion[0] = 3;
        byte[] longer = Arrays.copyOf(body, body.length + 1);
        byte[] noChecks = body.clone();
        noChecks[4] = 0; // the count's low byte: 2 -> 0

        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.decode(otherVersion));
        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.decode(Arrays.copyOf(body, body.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.decode(longer));
        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.decode(noChecks));
        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.decode(new byte[0]));
    }

    @Test
    void aMessageHoldsOneToMaxChecks() {
        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.encode(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> RetryCheckCodec.encode(java.util.Collections.nCopies(RetryCheckCodec.MAX_CHECKS + 1, DUE)));
    }
}
