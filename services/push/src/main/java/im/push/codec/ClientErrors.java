package im.push.codec;

import im.protocol.client.Error;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;

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
}
