package im.client.sdk.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * Splits a TCP stream into frames that carry their length as a varint32 prefix, refusing any frame
 * longer than {@code maxFrameBytes}. Netty's {@code ProtobufVarint32FrameDecoder} has no such bound,
 * so a hostile or broken peer could make it buffer up to 2 GiB.
 *
 * <p>After a refused frame the stream cannot be resynchronised; the decoder discards everything it
 * holds and the caller is expected to close the channel.
 */
public final class BoundedVarint32FrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameBytes;
    private boolean failed;

    public BoundedVarint32FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            in.markReaderIndex();
            int start = in.readerIndex();
            int length = readVarint32(in);
            if (length == INCOMPLETE) {
                in.resetReaderIndex();
                return;
            }
            if (length < 0) {
                fail(in);
                throw new CorruptedFrameException("negative frame length: " + length);
            }
            if (length > maxFrameBytes) {
                fail(in);
                throw new TooLongFrameException("frame of " + length + " bytes exceeds " + maxFrameBytes);
            }
            if (in.readableBytes() < length) {
                in.readerIndex(start);
                return;
            }
            out.add(in.readRetainedSlice(length));
        }
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }

    private static final int INCOMPLETE = Integer.MIN_VALUE;

    /** The varint at the reader index, or {@link #INCOMPLETE} when more bytes are needed. */
    private static int readVarint32(ByteBuf in) {
        int result = 0;
        for (int i = 0; i < 5; i++) {
            if (!in.isReadable()) {
                return INCOMPLETE;
            }
            byte b = in.readByte();
            result |= (b & 0x7f) << (7 * i);
            if (b >= 0) {
                return result;
            }
        }
        throw new CorruptedFrameException("length prefix longer than 5 bytes");
    }
}
