package im.common.grpc;

import im.protocol.client.ErrorCode;
import im.protocol.router.LinkFailure;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/**
 * The one place where gRPC errors are built and read. A failure carries two things: a gRPC status
 * (for generic clients, retries and dashboards) and the client protocol's {@link ErrorCode} in the
 * {@code im-error-code} trailer, so that the push edge can answer the exact code to the device
 * without matching on message text.
 */
public final class GrpcErrors {

    public static final Metadata.Key<String> ERROR_CODE =
            Metadata.Key.of("im-error-code", Metadata.ASCII_STRING_MARSHALLER);
    /** With OUT_OF_ORDER: the clientSeq the server expects next. */
    public static final Metadata.Key<String> EXPECTED_CLIENT_SEQ =
            Metadata.Key.of("im-expected-client-seq", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    public static StatusRuntimeException error(ErrorCode code, String message) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, Integer.toString(code.getNumber()));
        return statusOf(code).withDescription(message).asRuntimeException(trailers);
    }

    /** A numbered send that is not the next one expected from its device. */
    public static StatusRuntimeException outOfOrder(long expectedClientSeq, String message) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, Integer.toString(ErrorCode.OUT_OF_ORDER.getNumber()));
        trailers.put(EXPECTED_CLIENT_SEQ, Long.toString(expectedClientSeq));
        return statusOf(ErrorCode.OUT_OF_ORDER).withDescription(message).asRuntimeException(trailers);
    }

    /** The expected clientSeq an OUT_OF_ORDER failure carries, or 0 when it carries none. */
    public static long expectedClientSeqOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Metadata trailers = t instanceof StatusRuntimeException sre ? sre.getTrailers()
                    : t instanceof StatusException se ? se.getTrailers() : null;
            String value = trailers == null ? null : trailers.get(EXPECTED_CLIENT_SEQ);
            if (value != null) {
                try {
                    return Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** The client error code a failed call carries; status-only failures map to the nearest code. */
    public static ErrorCode codeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Metadata trailers = null;
            Status status = null;
            if (t instanceof StatusRuntimeException sre) {
                trailers = sre.getTrailers();
                status = sre.getStatus();
            } else if (t instanceof StatusException se) {
                trailers = se.getTrailers();
                status = se.getStatus();
            }
            if (status == null) {
                continue;
            }
            String number = trailers == null ? null : trailers.get(ERROR_CODE);
            if (number != null) {
                try {
                    ErrorCode code = ErrorCode.forNumber(Integer.parseInt(number));
                    if (code != null) {
                        return code;
                    }
                } catch (NumberFormatException ignored) {
                    // fall through to the status mapping
                }
            }
            return codeOf(status.getCode());
        }
        return ErrorCode.INTERNAL;
    }

    /** The human-readable part of a failure, without the gRPC status prefix. */
    public static String messageOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException sre && sre.getStatus().getDescription() != null) {
                return sre.getStatus().getDescription();
            }
            if (t instanceof StatusException se && se.getStatus().getDescription() != null) {
                return se.getStatus().getDescription();
            }
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** A failure as a router link's outcome carries it: its status and its ASCII trailers. */
    public static LinkFailure toLinkFailure(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        LinkFailure.Builder link = LinkFailure.newBuilder().setStatus(status.getCode().value());
        if (status.getDescription() != null) {
            link.setDescription(status.getDescription());
        } else if (status.getCode() == Status.Code.UNKNOWN && failure.getMessage() != null) {
            link.setDescription(failure.getMessage());
        }
        Metadata trailers = Status.trailersFromThrowable(failure);
        if (trailers != null) {
            for (String key : trailers.keys()) {
                if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    String value = trailers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
                    if (value != null) {
                        link.putTrailers(key, value);
                    }
                }
            }
        }
        return link.build();
    }

    /** The failure a router link's outcome carries, as the unary call would have failed. */
    public static StatusRuntimeException fromLinkFailure(LinkFailure failure) {
        Metadata trailers = new Metadata();
        failure.getTrailersMap().forEach((key, value) ->
                trailers.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value));
        return Status.fromCodeValue(failure.getStatus()).withDescription(failure.getDescription())
                .asRuntimeException(trailers);
    }

    private static ErrorCode codeOf(Status.Code status) {
        return switch (status) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, RESOURCE_EXHAUSTED -> ErrorCode.UNAVAILABLE;
            case UNAUTHENTICATED -> ErrorCode.UNAUTHENTICATED;
            case PERMISSION_DENIED -> ErrorCode.PERMISSION_DENIED;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorCode.INVALID_ARGUMENT;
            default -> ErrorCode.INTERNAL;
        };
    }

    private static Status statusOf(ErrorCode code) {
        return switch (code) {
            case UNAUTHENTICATED, TOKEN_EXPIRED, SESSION_REVOKED -> Status.UNAUTHENTICATED;
            case PERMISSION_DENIED, NOT_FRIENDS, SESSION_REPLACED -> Status.PERMISSION_DENIED;
            case UNKNOWN_USER, UNKNOWN_CONVERSATION -> Status.NOT_FOUND;
            case INVALID_ARGUMENT, BAD_FRAME, FRAME_TOO_LARGE, HELLO_REQUIRED -> Status.INVALID_ARGUMENT;
            case OUT_OF_ORDER -> Status.FAILED_PRECONDITION;
            case RATE_LIMITED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE, GOING_AWAY -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
    }
}
