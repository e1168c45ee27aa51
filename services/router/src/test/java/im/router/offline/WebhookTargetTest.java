package im.router.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookTargetTest {

    private static final String SECRET = "test-only-offline-webhook-secret-0123456789";

    @Test
    void noUrl_meansTheHookIsOff_evenWithoutASecret() {
        assertTrue(WebhookTarget.of(config(null, null)).isEmpty());
        assertTrue(WebhookTarget.of(config("  ", null)).isEmpty(), "an empty env value is unset");
    }

    @Test
    void urlWithoutSecret_refusesToStart_namingTheSecretsEnvironmentVariable() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> WebhookTarget.of(config("https://hooks.example.com/im", null)));
        assertTrue(refused.getMessage().contains("IM_OFFLINE_WEBHOOK_SECRET"), refused.getMessage());
    }

    @Test
    void urlWithAShortSecret_refusesToStart_withoutShowingTheSecret() {
        String shortSecret = "only-twenty-characte";
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> WebhookTarget.of(config("https://hooks.example.com/im", shortSecret)));
        assertTrue(refused.getMessage().contains("IM_OFFLINE_WEBHOOK_SECRET"), refused.getMessage());
        assertFalse(refused.getMessage().contains(shortSecret));
    }

    @Test
    void urlThatIsNotAbsoluteHttp_refusesToStart_namingTheUrlsEnvironmentVariable() {
        for (String url : new String[] {"hooks.example.com/im", "ftp://hooks.example.com/im", "http://"}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> WebhookTarget.of(config(url, SECRET)), url);
            assertTrue(refused.getMessage().contains("IM_OFFLINE_WEBHOOK_URL"), refused.getMessage());
        }
    }

    @Test
    void urlWithALongEnoughSecret_turnsTheHookOn() {
        WebhookTarget target = WebhookTarget.of(config("https://hooks.example.com/im", SECRET)).orElseThrow();
        assertEquals(URI.create("https://hooks.example.com/im"), target.url());
    }

    @Test
    void constructingTheHookWithAUrlButNoSecret_fails_soTheRouterDoesNotStart() {
        assertThrows(IllegalStateException.class,
                () -> new OfflineNotifications(config("https://hooks.example.com/im", null), recipients -> Set.of()));
    }

    @Test
    void receiversAnswers_decideBetweenTakenRefusedAndRetried() {
        for (int taken : new int[] {200, 202, 204}) {
            assertEquals(OfflineWebhook.Verdict.TAKEN, OfflineWebhook.verdict(taken).verdict(), "" + taken);
        }
        for (int refused : new int[] {301, 400, 401, 403, 404, 410, 413}) {
            assertEquals(OfflineWebhook.Verdict.REFUSED, OfflineWebhook.verdict(refused).verdict(), "" + refused);
        }
        for (int retried : new int[] {408, 429, 500, 502, 503, 504}) {
            assertEquals(OfflineWebhook.Verdict.RETRY, OfflineWebhook.verdict(retried).verdict(), "" + retried);
        }
    }

    private static OfflineWebhookConfig config(String url, String secret) {
        return TestConfig.of(url, secret);
    }
}
