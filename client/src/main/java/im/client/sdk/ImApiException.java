package im.client.sdk;

import java.util.OptionalLong;

/**
 * A REST call answered with a non-2xx status. {@code code} is the stable name from the problem
 * body (e.g. {@code UNKNOWN_USER}, {@code ALREADY_FRIENDS}), null when the body had none. A 429
 * ({@code RATE_LIMITED}: too many logins or registrations) says in {@link #getRetryAfterSeconds}
 * when to try again.
 */
public final class ImApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String detail;
    /** From the answer's {@code Retry-After}; negative when it had none. */
    private final long retryAfterSeconds;

    public ImApiException(int status, String code, String detail) {
        this(status, code, detail, -1);
    }

    public ImApiException(int status, String code, String detail, long retryAfterSeconds) {
        super("HTTP " + status + (code == null ? "" : " " + code) + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int getStatus() {
        return status;
    }

    public String getCode() {
        return code;
    }

    public String getDetail() {
        return detail;
    }

    /** How many seconds the server asked to wait before trying again ({@code Retry-After}), if it said. */
    public OptionalLong getRetryAfterSeconds() {
        return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
