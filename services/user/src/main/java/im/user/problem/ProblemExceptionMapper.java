package im.user.problem;

import im.common.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

    @Override
    public Response toResponse(ProblemException e) {
        ProblemCode code = e.code();
        return Problem.of(code.status(), code.title(), code.name(), e.getMessage()).toResponse().build();
    }
}
