package im.push.connection;

import im.protocol.client.ErrorCode;
import im.push.codec.ClientErrors;
import im.push.codec.FrameRejectedException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * Tail of every client pipeline. Whatever went wrong on a connection ends here: bad input is
 * answered with its protocol code and the connection closes (the stream can no longer be
 * trusted); I/O failures (peer reset, broken pipe) are expected on mobile networks and logged at
 * debug; anything else is a bug of ours, logged at warn. It never rethrows.
 */
@ChannelHandler.Sharable
public class ClientExceptionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(ClientExceptionHandler.class);

    private final ConnectionCounters counters;

    public ClientExceptionHandler(ConnectionCounters counters) {
        this.counters = counters;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isTlsFailure(cause)) {
            // A plain client on a TLS port, a client that does not trust the certificate, or one
            // that offers only older protocols: nothing a frame could be written to. Expected on a
            // public port, so counted and logged at debug only.
            counters.tlsFailure();
            LOG.debugf("closing %s: TLS failed (%s)", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
            return;
        }
        ErrorCode code = protocolCode(cause);
        if (code != null) {
            counters.countRejected(code);
            LOG.debugf("closing %s: %s (%s)", ctx.channel().remoteAddress(), code, cause.getMessage());
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(ClientErrors.frame(0, code, cause.getMessage()))
                        .addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        // A peer that goes away in the middle of a fragmented WebSocket message makes the
        // reassembly report the message it will never finish: the peer's doing, like a reset.
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            counters.ioError();
            LOG.debugf("closing %s: %s", ctx.channel().remoteAddress(), cause.toString());
        } else {
            counters.unexpectedError();
            LOG.warnf(cause, "closing %s after an unexpected error", ctx.channel().remoteAddress());
        }
        ctx.close();
    }

    /** Frames nobody consumed (cannot happen with a complete pipeline); released, not leaked. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    static boolean isTlsFailure(Throwable cause) {
        return cause instanceof SSLException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException;
    }

    static ErrorCode protocolCode(Throwable cause) {
        if (cause instanceof FrameRejectedException rejected) {
            return rejected.code();
        }
        if (cause instanceof TooLongFrameException) {
            return ErrorCode.FRAME_TOO_LARGE;
        }
        if (cause instanceof CorruptedWebSocketFrameException ws) {
            return ws.closeStatus() != null
                    && ws.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
                    ? ErrorCode.FRAME_TOO_LARGE : ErrorCode.BAD_FRAME;
        }
        if (cause instanceof CorruptedFrameException || cause instanceof DecoderException) {
            if (cause.getCause() instanceof FrameRejectedException rejected) {
                return rejected.code();
            }
            return ErrorCode.BAD_FRAME;
        }
        return null;
    }
}
