package im.push.codec;

import com.google.protobuf.CodedOutputStream;
import im.protocol.client.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.io.IOException;

/**
 * One {@link Frame} to its TCP form, its length as a varint32 and then its bytes, written straight
 * into one pooled buffer of the exact size: no intermediate array per frame, and one handler
 * where a length prepender and a protobuf encoder would be two on every connection.
 */
@ChannelHandler.Sharable
public class Varint32FrameEncoder extends MessageToByteEncoder<Frame> {

    public Varint32FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
        return ctx.alloc().ioBuffer(encodedSize(frame));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) throws IOException {
        int size = encodedSize(frame);
        // the buffer's own cached view of its memory: a fresh view per frame would be garbage per frame
        CodedOutputStream coded = CodedOutputStream.newInstance(out.internalNioBuffer(out.writerIndex(), size));
        coded.writeUInt32NoTag(frame.getSerializedSize());
        frame.writeTo(coded);
        coded.flush();
        out.writerIndex(out.writerIndex() + size);
    }

    private static int encodedSize(Frame frame) {
        int body = frame.getSerializedSize(); // computed once per frame, then remembered by it
        return CodedOutputStream.computeUInt32SizeNoTag(body) + body;
    }
}
