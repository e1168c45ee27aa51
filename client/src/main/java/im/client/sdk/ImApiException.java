package im.client.sdk;

/**
 * A REST call answered with a non-2xx status. {@code code} is the stable name from the problem
 * body (e.g. {@code UNKNOWN_USER}, {@code ALREADY_FRIENDS}), null when the body had none.
 */
public final class ImApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String detail;

    public ImApiException(int status, String code, String detail) {
        super("HTTP " + status + (code == null ? "" : " " + code) + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.code = code;
        this.detail = detail;
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
}
