package im.push.codec;

import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a TCP stream into frames, each preceded by its length as a protobuf varint32, and parses
 * each ({@link FrameParser}): one handler on every connection for both. Unlike Netty's
 * {@code ProtobufVarint32FrameDecoder} it has a maximum: a declared length above it is refused as
 * soon as the prefix is read, before any of the body is buffered. A malformed prefix, an oversized
 * one or a body that is not a Frame leaves the stream unparseable, so the decoder then discards
 * everything and throws {@link FrameRejectedException} once; the tail handler answers the client
 * and closes.
 */
public class BoundedVarint32FrameDecoder extends ByteToMessageDecoder {

    /** A varint32 takes at most 5 bytes. */
    private static final int MAX_PREFIX_BYTES = 5;

    private final int maxFrameBytes;
    private boolean rejected;

    public BoundedVarint32FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        long length = 0;
        int prefixBytes = 0;
        while (true) {
            if (!in.isReadable()) {
                in.readerIndex(start);
                return;
            }
            byte b = in.readByte();
            length |= (long) (b & 0x7F) << (7 * prefixBytes);
            prefixBytes++;
            if ((b & 0x80) == 0) {
                break;
            }
            if (prefixBytes == MAX_PREFIX_BYTES) {
                throw reject(in, ErrorCode.BAD_FRAME, "malformed frame length prefix");
            }
        }
        if (length > maxFrameBytes) {
            throw reject(in, ErrorCode.FRAME_TOO_LARGE,
                    "frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
        }
        if (in.readableBytes() < length) {
            in.readerIndex(start);
            return;
        }
        Frame frame;
        try {
            frame = FrameParser.parse(in.slice(in.readerIndex(), (int) length));
        } catch (FrameRejectedException e) {
            discardFromNowOn(in);
            throw e;
        }
        in.skipBytes((int) length);
        out.add(frame);
    }

    private FrameRejectedException reject(ByteBuf in, ErrorCode code, String message) {
        discardFromNowOn(in);
        return new FrameRejectedException(code, message);
    }

    private void discardFromNowOn(ByteBuf in) {
        rejected = true;
        in.skipBytes(in.readableBytes());
    }
}
