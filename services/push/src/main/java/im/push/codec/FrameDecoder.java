package im.push.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * One already-delimited buffer to one {@link Frame}. Bytes that are not a Frame are refused with
 * {@link ErrorCode#BAD_FRAME}: after that the client and the server disagree about the stream.
 */
@ChannelHandler.Sharable
public class FrameDecoder extends MessageToMessageDecoder<ByteBuf> {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(parse(msg));
    }

    /** Parses a whole buffer as a Frame (without consuming it). */
    public static Frame parse(ByteBuf bytes) {
        try {
            return Frame.parseFrom(bytes.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            throw new FrameRejectedException(ErrorCode.BAD_FRAME, "bytes are not a Frame", e);
        }
    }
}
