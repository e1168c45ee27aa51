package im.checker.proxy;

import im.protocol.client.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Forwards the frames read on one side to the other side, deciding per frame whether to drop it,
 * hold it back, or cut the connection. Both sides of a proxied connection run on one event loop,
 * so no state here is shared between threads.
 *
 * <p>Every frame draws the same five random numbers whatever is decided, so a connection's
 * decisions depend only on the seed and the position of the frame in its direction.
 */
final class FaultRelayHandler extends SimpleChannelInboundHandler<Frame> {

    /** Frames held back in one direction before the connection is cut instead: bounds memory. */
    static final int MAX_HELD = 10_000;

    private final Supplier<FaultPlan> plan;
    private final FaultCounters counters;
    private final Random random;
    private Channel peer;
    private long releaseAtNanos;
    /** Frames waiting for their release time, in read order. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    FaultRelayHandler(Supplier<FaultPlan> plan, FaultCounters counters, long seed, Channel peer) {
        this.plan = plan;
        this.counters = counters;
        this.random = new Random(seed);
        this.peer = peer;
    }

    /** The other side, once connected (the client side learns its backend after connecting). */
    void peer(Channel peer) {
        this.peer = peer;
    }

    Channel peer() {
        return peer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        FaultPlan p = plan.get();
        double kill = random.nextDouble();
        boolean killAfterForwarding = random.nextBoolean();
        double drop = random.nextDouble();
        double delay = random.nextDouble();
        long delayMillis = p.maxDelayMillis() <= 0 ? 0 : 1 + (long) (random.nextDouble() * p.maxDelayMillis());
        if (peer == null) {
            ctx.close();
            return;
        }
        if (kill < p.killRate()) {
            counters.killedAtFrame.increment();
            if (killAfterForwarding && held.isEmpty()) {
                peer.writeAndFlush(frame);
                counters.forwarded.increment();
            } else {
                counters.drop(frame.getBodyCase().name());
            }
            cut(ctx.channel());
            return;
        }
        if (drop < p.dropRate()) {
            counters.drop(frame.getBodyCase().name());
            return;
        }
        if (delay < p.delayRate() && delayMillis > 0) {
            counters.delayed.increment();
            forward(ctx, frame, TimeUnit.MILLISECONDS.toNanos(delayMillis));
        } else {
            forward(ctx, frame, 0);
        }
    }

    /** Forwards now, or at a later time but never before a frame read earlier in this direction. */
    private void forward(ChannelHandlerContext ctx, Frame frame, long delayNanos) {
        long now = System.nanoTime();
        if (held.isEmpty() && delayNanos == 0) {
            write(ctx, frame);
            return;
        }
        if (held.size() >= MAX_HELD) {
            counters.errors.increment();
            cut(ctx.channel());
            return;
        }
        long at = Math.max(now + delayNanos, releaseAtNanos);
        releaseAtNanos = at;
        held.addLast(new Held(frame, at));
        if (held.size() == 1) {
            ctx.executor().schedule(() -> release(ctx), at - now, TimeUnit.NANOSECONDS);
        }
    }

    /** Writes the held frames that are due, in order, and waits for the next one (one timer at a time). */
    private void release(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        while (!held.isEmpty() && held.peekFirst().at() <= now) {
            write(ctx, held.pollFirst().frame());
        }
        if (!held.isEmpty()) {
            ctx.executor().schedule(() -> release(ctx), held.peekFirst().at() - now, TimeUnit.NANOSECONDS);
        }
    }

    private record Held(Frame frame, long at) {
    }

    private void write(ChannelHandlerContext ctx, Frame frame) {
        Channel to = peer;
        if (to == null || !to.isActive()) {
            return;
        }
        to.writeAndFlush(frame);
        counters.forwarded.increment();
        if (!to.isWritable()) {
            // The other side reads slower than this one writes: stop reading until it catches up.
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel from = peer;
        if (ctx.channel().isWritable() && from != null) {
            from.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Channel other = peer;
        if (other != null) {
            other.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset by a side that was cut, or a frame the decoder refused: either way the pair is done.
        counters.errors.increment();
        cut(ctx.channel());
    }

    private void cut(Channel self) {
        Channel other = peer;
        self.close();
        if (other != null) {
            other.close();
        }
    }
}
