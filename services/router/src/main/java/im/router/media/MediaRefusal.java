package im.router.media;

import im.common.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** An upload or download refused for a reason the caller can act on; answered as a problem body. */
public final class MediaRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** Seconds a client waits before trying an unavailable store again. */
    private static final String RETRY_AFTER = "1";

    private final transient MediaProblem problem;

    public MediaRefusal(MediaProblem problem, String detail) {
        super(detail, null, false, false);
        this.problem = problem;
    }

    public MediaProblem problem() {
        return problem;
    }

    @Provider
    public static final class Mapper implements ExceptionMapper<MediaRefusal> {
        @Override
        public Response toResponse(MediaRefusal refusal) {
            MediaProblem problem = refusal.problem();
            Response.ResponseBuilder answer = Problem.of(problem.status(), problem.title(), problem.name(),
                    refusal.getMessage()).toResponse();
            if (problem == MediaProblem.UNAVAILABLE) {
                answer.header("Retry-After", RETRY_AFTER);
            }
            return answer.build();
        }
    }
}
