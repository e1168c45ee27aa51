package im.push.websocket;

import im.protocol.client.ErrorCode;
import im.push.codec.FrameParser;
import im.push.codec.FrameRejectedException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * One binary WebSocket message to one {@code Frame}. Text messages are refused (BAD_FRAME, then
 * close): the protocol is protobuf only. HTTP requests that were not an upgrade to the WebSocket
 * path reach this handler too and are answered 404.
 */
@ChannelHandler.Sharable
public class BinaryMessageDecoder extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof BinaryWebSocketFrame binary) {
                ctx.fireChannelRead(FrameParser.parse(binary.content()));
            } else if (msg instanceof TextWebSocketFrame) {
                throw new FrameRejectedException(ErrorCode.BAD_FRAME, "text messages are not accepted; send binary frames");
            } else if (msg instanceof FullHttpRequest) {
                DefaultFullHttpResponse notFound = new DefaultFullHttpResponse(
                        ((FullHttpRequest) msg).protocolVersion(), HttpResponseStatus.NOT_FOUND);
                notFound.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
