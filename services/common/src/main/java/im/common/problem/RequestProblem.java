package im.common.problem;

/**
 * Why Quarkus REST or Quarkus security refused a request before any resource method ran; the
 * {@code code} of its problem body. The status is the one Quarkus chose (400, 401, 403, 404, 405,
 * 406, 415, ...).
 */
public enum RequestProblem {
    /**
     * The body is not JSON (cut short, garbage, invalid UTF-8, too deeply nested), or JSON the call
     * cannot read (a string where a number goes, a number out of range, an array for an object).
     */
    MALFORMED_BODY("Malformed request body"),
    /** Another part of the request (a header or parameter) that Quarkus could not convert. */
    INVALID_ARGUMENT("Invalid request"),
    /** No call answers at this path. */
    NOT_FOUND("Not found"),
    /** The path exists but not for this method. */
    METHOD_NOT_ALLOWED("Method not allowed"),
    /** The {@code Accept} header names no media type the call answers in. */
    NOT_ACCEPTABLE("Not acceptable"),
    /** The call does not read a body of this {@code Content-Type} (the JSON calls take application/json). */
    UNSUPPORTED_MEDIA_TYPE("Unsupported media type"),
    /**
     * The call needs an access token and the request has none, or one that failed authentication
     * (malformed, expired, signed by a key the service does not trust). Answered 401 with the
     * authentication mechanism's {@code WWW-Authenticate} challenge.
     */
    UNAUTHENTICATED("Not authenticated"),
    /** The access token is valid but does not grant the permission (or role) the call needs. */
    FORBIDDEN("Forbidden"),
    /** Any other client error Quarkus answered on its own. */
    REQUEST_REFUSED("Request refused"),
    /** Quarkus failed on its own with a server error. */
    INTERNAL("Internal error");

    private final String title;

    RequestProblem(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
