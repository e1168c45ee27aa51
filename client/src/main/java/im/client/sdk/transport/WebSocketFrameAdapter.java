package im.client.sdk.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.List;

/**
 * One binary WebSocket message is one protocol frame, both ways. Text messages are not part of the
 * protocol and fail the connection. Control frames (ping, pong, close) are handled before this
 * adapter by the WebSocket protocol handler.
 */
public final class WebSocketFrameAdapter extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(new BinaryWebSocketFrame(msg.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame msg, List<Object> out) {
        if (!(msg instanceof BinaryWebSocketFrame)) {
            throw new CorruptedFrameException("expected a binary WebSocket message, got "
                    + msg.getClass().getSimpleName());
        }
        out.add(msg.content().retain());
    }
}
