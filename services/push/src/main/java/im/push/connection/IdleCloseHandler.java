package im.push.connection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.jboss.logging.Logger;

/**
 * Closes a connection whose client has said nothing (not even Ping) for the reader-idle time of
 * the {@code IdleStateHandler} before it: the device is gone or its network is, and its session
 * must not hold presence any longer.
 */
@ChannelHandler.Sharable
public class IdleCloseHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(IdleCloseHandler.class);

    private final ConnectionCounters counters;

    public IdleCloseHandler(ConnectionCounters counters) {
        this.counters = counters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            counters.countIdleClose();
            LOG.debugf("closing silent connection %s", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
