package im.common.problem;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The body of every REST error ({@code application/problem+json}, RFC 9457): {@code code} is a
 * stable machine-readable name (a service's own problem codes, or a {@link RequestProblem}), the
 * rest is for people.
 */
public record Problem(String type, String title, int status, String detail, String code) {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    public static Problem of(int status, String title, String code, String detail) {
        return new Problem("about:blank", title, status, detail, code);
    }

    /** An answer carrying this body, with its status and media type; headers may still be added. */
    public Response.ResponseBuilder toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }
}
