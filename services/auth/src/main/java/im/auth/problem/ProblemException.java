package im.auth.problem;

import java.util.OptionalLong;

/** A failure the caller can act on; answered as a problem body by {@link ProblemExceptionMapper}. */
public class ProblemException extends RuntimeException {

    private final ProblemCode code;
    /** Seconds to announce in {@code Retry-After}; 0 when the answer has none. */
    private final long retryAfterSeconds;

    public ProblemException(ProblemCode code, String detail) {
        this(code, detail, 0);
    }

    private ProblemException(ProblemCode code, String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** {@link ProblemCode#RATE_LIMITED}, to be tried again in this many seconds (at least 1). */
    public static ProblemException rateLimited(String detail, long retryAfterSeconds) {
        return new ProblemException(ProblemCode.RATE_LIMITED, detail, Math.max(1, retryAfterSeconds));
    }

    public ProblemCode code() {
        return code;
    }

    /** When the caller may try again, in whole seconds. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds > 0 ? OptionalLong.of(retryAfterSeconds) : OptionalLong.empty();
    }
}
