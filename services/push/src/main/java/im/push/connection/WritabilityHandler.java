package im.push.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Backpressure for one connection. While its outbound buffer is above the high-water mark the
 * connection is not read (a client that does not read its answers gets no new requests served);
 * when it stays so for {@code unwritableCloseAfter} it is closed, and the device catches up by
 * sync on reconnect. One instance per channel (it holds that channel's timer).
 */
public class WritabilityHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(WritabilityHandler.class);

    private final ConnectionCounters counters;
    private final Duration closeAfter;
    private ScheduledFuture<?> closeTimer;

    public WritabilityHandler(ConnectionCounters counters, Duration closeAfter) {
        this.counters = counters;
        this.closeAfter = closeAfter;
    }

    /**
     * Whether more may be queued on the channel; closes it (and says no) once it holds more than
     * {@code maxPendingBytes} that the client has not taken. Safe from any thread.
     */
    public static boolean admit(Channel channel, int maxPendingBytes) {
        if (channel.isWritable()) {
            return true;
        }
        if (channel.bytesBeforeWritable() > maxPendingBytes) {
            LOG.debugf("closing %s: %d bytes queued for it", channel.remoteAddress(), channel.bytesBeforeWritable());
            channel.close();
            return false;
        }
        return true;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (writable) {
            cancelTimer();
        } else if (closeTimer == null) {
            closeTimer = ctx.executor().schedule(() -> closeIfStillUnwritable(ctx),
                    closeAfter.toMillis(), TimeUnit.MILLISECONDS);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimer();
        super.channelInactive(ctx);
    }

    private void closeIfStillUnwritable(ChannelHandlerContext ctx) {
        closeTimer = null;
        if (ctx.channel().isActive() && !ctx.channel().isWritable()) {
            counters.countSlowClose();
            LOG.debugf("closing %s: not reading for %s", ctx.channel().remoteAddress(), closeAfter);
            ctx.close();
        }
    }

    private void cancelTimer() {
        if (closeTimer != null) {
            closeTimer.cancel(false);
            closeTimer = null;
        }
    }
}
