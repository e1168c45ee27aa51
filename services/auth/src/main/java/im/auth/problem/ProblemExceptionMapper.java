package im.auth.problem;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");

    @Override
    public Response toResponse(ProblemException e) {
        ProblemCode code = e.code();
        Problem body = new Problem("about:blank", code.title(), code.status(), e.getMessage(), code.name());
        Response.ResponseBuilder response = Response.status(code.status()).type(PROBLEM_JSON).entity(body);
        e.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        return response.build();
    }
}
