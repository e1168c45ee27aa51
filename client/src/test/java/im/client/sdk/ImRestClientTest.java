package im.client.sdk;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ImRestClientTest {

    @Test
    void problemBodyBecomesStatusCodeAndDetail() {
        byte[] body = "{\"type\":\"about:blank\",\"title\":\"Unknown user\",\"status\":404,\"detail\":\"no user bob\",\"code\":\"UNKNOWN_USER\"}"
                .getBytes(StandardCharsets.UTF_8);
        ImApiException e = ImRestClient.problem(404, body);
        assertEquals(404, e.getStatus());
        assertEquals("UNKNOWN_USER", e.getCode());
        assertEquals("no user bob", e.getDetail());
    }

    @Test
    void bodyThatIsNotProblemJsonStillGivesTheStatus() {
        ImApiException e = ImRestClient.problem(502, "Bad Gateway".getBytes(StandardCharsets.UTF_8));
        assertEquals(502, e.getStatus());
        assertNull(e.getCode());
        assertEquals("Bad Gateway", e.getDetail());
    }
}
