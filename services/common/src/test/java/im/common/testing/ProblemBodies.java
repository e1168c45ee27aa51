package im.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** What the REST fuzz tests demand of every 4xx answer: a problem body that names its code. */
public final class ProblemBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemBodies() {
    }

    public static boolean isProblemWithCode(String contentType, String body) {
        if (contentType == null || !contentType.startsWith("application/problem+json")) {
            return false;
        }
        try {
            JsonNode code = JSON.readTree(body).path("code");
            return code.isTextual() && !code.asText().isBlank();
        } catch (IOException unreadable) {
            return false;
        }
    }
}
