package im.push.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * One already-delimited buffer to one {@link Frame}, for both listeners' decoders. Bytes that are
 * not a Frame are refused with {@link ErrorCode#BAD_FRAME}: after that the client and the server
 * disagree about the stream.
 */
public final class FrameParser {

    private FrameParser() {
    }

    /**
     * Parses a whole buffer as a Frame (without consuming it). Always from heap bytes (a copy of at
     * most the listener's maximum frame): protobuf's decoder for direct buffers reads with Unsafe,
     * and on malformed input (found by FrameDecoderFuzzTest) it read past the end of the frame,
     * failing with an index error or crashing the JVM. On a byte array a bad length can only fail.
     */
    public static Frame parse(ByteBuf bytes) {
        try {
            return Frame.parseFrom(ByteBufUtil.getBytes(bytes, bytes.readerIndex(), bytes.readableBytes(), false));
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            throw new FrameRejectedException(ErrorCode.BAD_FRAME, "bytes are not a Frame", e);
        }
    }
}
