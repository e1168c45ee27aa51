package im.push.codec;

import im.protocol.client.Error;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import java.time.Duration;

/** The one way this node builds an {@code Error} frame for a client. */
public final class ClientErrors {

    private ClientErrors() {
    }

    public static Frame frame(long requestId, ErrorCode code, String message) {
        return Frame.newBuilder()
                .setRequestId(requestId)
                .setError(Error.newBuilder().setCode(code).setMessage(message == null ? "" : message))
                .build();
    }

    /** RATE_LIMITED for a per-user limit, with the wait after which the same request may pass. */
    public static Frame rateLimited(long requestId, String message, Duration retryAfter) {
        return Frame.newBuilder()
                .setRequestId(requestId)
                .setError(Error.newBuilder().setCode(ErrorCode.RATE_LIMITED).setMessage(message)
                        .setRetryAfterMs(Math.max(1, retryAfter.toMillis())))
                .build();
    }
}
