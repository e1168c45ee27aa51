package im.push.codec;

import im.protocol.client.ErrorCode;
import io.netty.handler.codec.DecoderException;

/**
 * Bytes from a client that cannot be trusted as a frame. Carries the protocol code the client is
 * told before the connection closes, so the tail handler never has to guess from the exception's
 * text.
 */
public class FrameRejectedException extends DecoderException {

    private final ErrorCode code;

    public FrameRejectedException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public FrameRejectedException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
