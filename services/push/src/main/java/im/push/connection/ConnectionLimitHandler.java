package im.push.connection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * First handler of every client pipeline: counts the connection and closes it at once when the
 * node already holds its maximum, before any buffer or session is spent on it.
 */
@ChannelHandler.Sharable
public class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("im.push.counted");

    private final ConnectionCounters counters;
    private final int maxConnections;

    public ConnectionLimitHandler(ConnectionCounters counters, int maxConnections) {
        this.counters = counters;
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!counters.tryOpen(maxConnections)) {
            ctx.close();
            return;
        }
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            counters.closed();
        }
        super.channelInactive(ctx);
    }
}
