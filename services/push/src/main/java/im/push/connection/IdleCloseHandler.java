package im.push.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Closes a connection whose client has said nothing (not even Ping) for {@code readerIdleMillis}:
 * the device is gone or its network is, and its session must not hold presence any longer. One
 * instance per channel (it holds that channel's timer); the timer and the close are one handler
 * because every connection carries it, and each handler in a pipeline costs every connection.
 */
public class IdleCloseHandler extends IdleStateHandler {

    private static final Logger LOG = Logger.getLogger(IdleCloseHandler.class);

    private final ConnectionCounters counters;

    public IdleCloseHandler(ConnectionCounters counters, long readerIdleMillis) {
        super(readerIdleMillis, 0, 0, TimeUnit.MILLISECONDS);
        this.counters = counters;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) throws Exception {
        if (evt.state() == IdleState.READER_IDLE) {
            counters.countIdleClose();
            LOG.debugf("closing silent connection %s", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.channelIdle(ctx, evt);
    }
}
