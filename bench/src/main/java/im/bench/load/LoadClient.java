package im.bench.load;

import im.protocol.client.Frame;
import im.protocol.client.Hello;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * The lean side of the load generator: plain Netty connections that speak the wire protocol
 * directly (no SDK bookkeeping), so that the generator costs as little CPU as possible on a
 * machine it shares with the server. Every connection pings at the interval its HelloOk names.
 */
public final class LoadClient implements AutoCloseable {

    private static final AttributeKey<Conn> CONN = AttributeKey.valueOf("im.bench.conn");
    private static final AttributeKey<CompletableFuture<Conn>> HELLO = AttributeKey.valueOf("im.bench.hello");

    private final NioEventLoopGroup group;
    private final Bootstrap bootstrap;

    public LoadClient(int ioThreads) {
        this.group = new NioEventLoopGroup(ioThreads);
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // The generator shares the machine with the server: one write syscall per read
                        // batch instead of one per frame keeps its own CPU cost low.
                        ch.pipeline().addLast(new FlushConsolidationHandler(64, true));
                        Frames.install(ch.pipeline());
                        ch.pipeline().addLast(new Handler());
                    }
                });
    }

    /** Connects from {@code local} (null: any) and completes when HelloOk arrives. */
    public CompletableFuture<Conn> connect(InetSocketAddress server, InetSocketAddress local, Identity identity) {
        return connect(server, local, identity, null);
    }

    /** As above, with the listener in place before HelloOk (for frames the server sends right after it). */
    public CompletableFuture<Conn> connect(InetSocketAddress server, InetSocketAddress local, Identity identity,
            Conn.Listener listener) {
        CompletableFuture<Conn> hello = new CompletableFuture<>();
        ChannelFuture connect = local == null ? bootstrap.connect(server) : bootstrap.connect(server, local);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                hello.completeExceptionally(f.cause());
                return;
            }
            Channel channel = connect.channel();
            Conn conn = new Conn(identity, channel);
            if (listener != null) {
                conn.listener(listener);
            }
            channel.attr(CONN).set(conn);
            channel.attr(HELLO).set(hello);
            channel.closeFuture().addListener(c -> {
                hello.completeExceptionally(new IOException("closed before HelloOk"));
                conn.listener().onClosed(conn);
            });
            channel.writeAndFlush(Frame.newBuilder().setRequestId(1).setHello(Hello.newBuilder()
                    .setAccessToken(identity.accessToken()).setDeviceId(identity.deviceId())).build());
        });
        return hello;
    }

    /**
     * Connects every identity with at most {@code parallel} handshakes in flight, spreading the
     * connections over {@code sourceAddresses} local addresses (127.0.0.x) so that more than one
     * address's worth of ephemeral ports can be used. Fails on the first connection that fails.
     */
    public List<Conn> connectAll(InetSocketAddress server, List<Identity> identities, int parallel,
            List<String> sourceAddresses, IntConsumer progress) throws InterruptedException {
        return connectAll(i -> server, identities, parallel, sourceAddresses, progress);
    }

    /** As above, connection {@code i} to {@code serverOf.apply(i)} (a cluster's push nodes). */
    public List<Conn> connectAll(IntFunction<InetSocketAddress> serverOf, List<Identity> identities, int parallel,
            List<String> sourceAddresses, IntConsumer progress) throws InterruptedException {
        return connectAll(serverOf, identities, parallel, sourceAddresses, progress, null);
    }

    /**
     * As above, every connection with {@code listener} in place before its HelloOk (null: none yet),
     * for the frames the server sends right after it (the SyncPages of the conversations behind).
     */
    public List<Conn> connectAll(IntFunction<InetSocketAddress> serverOf, List<Identity> identities, int parallel,
            List<String> sourceAddresses, IntConsumer progress, Conn.Listener listener) throws InterruptedException {
        Semaphore permits = new Semaphore(parallel);
        List<CompletableFuture<Conn>> futures = new ArrayList<>(identities.size());
        for (int i = 0; i < identities.size(); i++) {
            if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("connection handshakes stalled at " + i);
            }
            InetSocketAddress local = sourceAddresses.isEmpty() ? null
                    : new InetSocketAddress(sourceAddresses.get(i % sourceAddresses.size()), 0);
            CompletableFuture<Conn> future = connect(serverOf.apply(i), local, identities.get(i), listener);
            future.whenComplete((c, e) -> permits.release());
            futures.add(future);
            if (progress != null) {
                progress.accept(i + 1);
            }
        }
        List<Conn> conns = new ArrayList<>(futures.size());
        for (CompletableFuture<Conn> future : futures) {
            conns.add(future.orTimeout(60, TimeUnit.SECONDS).join());
        }
        for (int i = 0; i < conns.size(); i++) {
            conns.get(i).index(i);
        }
        return conns;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Pings on the heartbeat interval the server named in HelloOk, from HelloOk on, as a real
     * client does: a connection made early in a long connect phase must not fall silent for the
     * server's idle timeout while the rest are still connecting.
     */
    private static void keepAlive(Conn conn) {
        long interval = conn.helloOk().getHeartbeatIntervalMs();
        if (interval > 0) {
            conn.eventLoop().scheduleAtFixedRate(() -> {
                if (conn.channel().isActive()) {
                    conn.writeAndFlush(Frames.ping());
                }
            }, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<Frame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            Conn conn = ctx.channel().attr(CONN).get();
            CompletableFuture<Conn> hello = ctx.channel().attr(HELLO).get();
            if (frame.hasHelloOk() && !hello.isDone()) {
                conn.helloOk(frame.getHelloOk());
                keepAlive(conn);
                hello.complete(conn);
                return;
            }
            if (frame.hasError() && !hello.isDone()) {
                hello.completeExceptionally(new IOException("Hello refused: " + frame.getError().getCode()
                        + " " + frame.getError().getMessage()));
                ctx.close();
                return;
            }
            conn.listener().onFrame(conn, frame);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
