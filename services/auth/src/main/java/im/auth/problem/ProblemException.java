package im.auth.problem;

/** A failure the caller can act on; answered as a problem body by {@link ProblemExceptionMapper}. */
public class ProblemException extends RuntimeException {

    private final ProblemCode code;

    public ProblemException(ProblemCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ProblemCode code() {
        return code;
    }
}
