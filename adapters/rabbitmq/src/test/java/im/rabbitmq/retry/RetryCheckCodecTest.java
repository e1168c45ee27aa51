package im.rabbitmq.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import im.common.retry.RetryCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The message body of a check: it reads back as written, and refuses what it does not know. */
class RetryCheckCodecTest {

    private static final DueCheck DUE = new DueCheck(new RetryCheck(42, "phone-é", "g:7", 1_000_000_007L, 3),
            1_764_000_000_123L);

    @Test
    void aCheckReadsBackAsWritten() {
        assertEquals(DUE, RetryCheckCodec.decode(RetryCheckCodec.encode(DUE)));
    }

    @Test
    void anUnknownVersion_aTruncatedBody_orTrailingBytes_areRefused() {
        byte[] body = RetryCheckCodec.encode(DUE);
        byte[] otherVersion = body.clone();
        otherVersion[0] = 2;
        byte[] longer = Arrays.copyOf(body, body.length + 1);

        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.decode(otherVersion));
        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.decode(Arrays.copyOf(body, body.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.decode(longer));
        assertThrows(IllegalArgumentException.class, () -> RetryCheckCodec.decode(new byte[0]));
    }
}
