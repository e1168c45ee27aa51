package im.client.sdk.transport;

import im.protocol.client.Frame;
import im.protocol.client.Ping;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

import java.util.concurrent.TimeoutException;

/**
 * The last handler of a client pipeline: hands decoded frames to the connection's owner, pings on
 * write-idle, closes on read-idle and on any failure, and reports the first failure as the cause of
 * the close.
 */
public final class ClientFrameHandler extends SimpleChannelInboundHandler<Frame> {

    static final Frame HEARTBEAT = Frame.newBuilder().setPing(Ping.getDefaultInstance()).build();

    private final ConnectionEvents events;
    private final boolean openOnActive;
    private Throwable cause;

    /**
     * @param openOnActive true for raw TCP (ready once connected); false for WebSocket, which is
     *                     ready only after its handshake
     */
    public ClientFrameHandler(ConnectionEvents events, boolean openOnActive) {
        this.events = events;
        this.openOnActive = openOnActive;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        if (openOnActive) {
            events.onOpen(ctx.channel());
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        events.onFrame(frame);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            events.onOpen(ctx.channel());
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            failAndClose(ctx, new TimeoutException("WebSocket handshake timed out"));
        } else if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(HEARTBEAT, ctx.voidPromise());
            } else if (idle.state() == IdleState.READER_IDLE) {
                failAndClose(ctx, new TimeoutException("server silent for too long"));
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable failure) {
        failAndClose(ctx, failure);
    }

    /** Records why the connection is about to close (first reason wins) without closing it. */
    public void recordCause(Throwable failure) {
        if (cause == null) {
            cause = failure;
        }
    }

    private void failAndClose(ChannelHandlerContext ctx, Throwable failure) {
        recordCause(failure);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        events.onClosed(cause);
        super.channelInactive(ctx);
    }
}
