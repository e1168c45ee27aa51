package im.router.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private static final String SECRET = "test-only-offline-webhook-secret-0123456789";
    private static final byte[] BODY = "{\"notifications\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signature_isHmacSha256OfTimestampDotBody_asOpensslComputesIt() {
        // printf '1700000000.{"notifications":[]}' | openssl dgst -sha256 -hmac "$SECRET"
        assertEquals("sha256=f18c4dd3098fbe63a0f79b209b1a99e1a29e978021e7e28d0f747e0d6cfd7e63",
                new WebhookSigner(SECRET).sign(1_700_000_000L, BODY));
    }

    @Test
    void signature_matchesWhatAReceiverComputesWithTheJdksHmac() throws Exception {
        byte[] body = "{\"notifications\":[{\"id\":\"42:7\",\"userId\":7}]}".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update("1712345678.".getBytes(StandardCharsets.UTF_8));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));

        assertEquals(expected, new WebhookSigner(SECRET).sign(1_712_345_678L, body));
    }

    @Test
    void verification_failsForAnotherBodyTimestampOrSecret() {
        WebhookSigner signer = new WebhookSigner(SECRET);
        String signature = signer.sign(1_700_000_000L, BODY);

        assertTrue(signer.verifies(1_700_000_000L, BODY, signature));
        assertFalse(signer.verifies(1_700_000_001L, BODY, signature));
        assertFalse(signer.verifies(1_700_000_000L, "{\"notifications\":[{}]}".getBytes(StandardCharsets.UTF_8),
                signature));
        assertFalse(new WebhookSigner(SECRET + "x").verifies(1_700_000_000L, BODY, signature));
        assertFalse(signer.verifies(1_700_000_000L, BODY, null));
    }

    @Test
    void secretShorterThan32Characters_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("x".repeat(31)));
    }
}
