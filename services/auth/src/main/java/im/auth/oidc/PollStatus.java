package im.auth.oidc;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A poll's answer while there are no tokens yet: {@code PENDING} (the browser has not come back),
 * or {@code LINK_REQUIRED} with the existing account's {@code username}, whose password
 * {@code POST /auth/oidc/link} needs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PollStatus(String status, String username) {

    static final PollStatus PENDING = new PollStatus("PENDING", null);

    static PollStatus linkRequired(String username) {
        return new PollStatus("LINK_REQUIRED", username);
    }
}
