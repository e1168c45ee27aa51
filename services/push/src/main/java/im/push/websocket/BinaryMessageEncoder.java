package im.push.websocket;

import im.protocol.client.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.io.IOException;
import java.util.List;

/** One {@code Frame} to one binary WebSocket message. */
@ChannelHandler.Sharable
public class BinaryMessageEncoder extends MessageToMessageEncoder<Frame> {

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) throws IOException {
        ByteBuf bytes = ctx.alloc().ioBuffer(frame.getSerializedSize());
        try (ByteBufOutputStream stream = new ByteBufOutputStream(bytes)) {
            frame.writeTo(stream);
        } catch (IOException | RuntimeException e) {
            bytes.release();
            throw e;
        }
        out.add(new BinaryWebSocketFrame(bytes));
    }
}
