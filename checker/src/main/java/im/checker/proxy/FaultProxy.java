package im.checker.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of a push listener that understands its framing (varint32 length, then a
 * {@code Frame}) and, per frame and direction, drops, delays or cuts the connection as the current
 * {@link FaultPlan} says. It listens on 127.0.0.1 only and keeps listening while the server behind
 * it restarts: a client that connects meanwhile is accepted and closed at once when the backend
 * refuses, so it reconnects as it would to a server that is down.
 *
 * <p>All connections run on one event loop: decisions are then made in accept and frame order,
 * each connection's from a random stream derived from the seed, so a run can be replayed as
 * closely as the timing of the programs on both ends allows.
 */
public final class FaultProxy implements AutoCloseable {

    // A backend that does not accept within this is down; the client will come back on its own.
    private static final int BACKEND_CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long KILL_TICK_MILLIS = 100;

    private final String backendHost;
    private final int backendPort;
    private final Random seeds;
    private final FaultCounters counters = new FaultCounters();
    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("fault-proxy-accept", true));
    private final EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("fault-proxy", true));
    private final ChannelGroup clients = new DefaultChannelGroup("fault-proxy-clients", GlobalEventExecutor.INSTANCE);
    private volatile FaultPlan plan = FaultPlan.NONE;
    private Channel listener;
    private ScheduledFuture<?> killTimer;

    /** @param seed the root of every random decision this proxy makes */
    public FaultProxy(String backendHost, int backendPort, long seed) {
        this.backendHost = Objects.requireNonNull(backendHost, "backendHost");
        this.backendPort = backendPort;
        this.seeds = new Random(seed);
    }

    /** Binds a free port on 127.0.0.1. */
    public FaultProxy start() throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, loop)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ProxySideInitializer(
                        ch -> new FaultRelayHandler(this::plan, counters, nextSeed(), null),
                        BackendConnector::new));
        listener = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return this;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Where clients connect: {@code tcp://127.0.0.1:<port>}. */
    public URI tcp() {
        return URI.create("tcp://127.0.0.1:" + port());
    }

    public FaultPlan plan() {
        return plan;
    }

    /** Applies from the next frame on; {@link FaultPlan#NONE} stops injecting (held frames still go). */
    public void plan(FaultPlan plan) {
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    /**
     * Besides per-frame cuts, cuts a random open connection about {@code perSecond} times a second
     * (checked every 100 ms); 0 stops it.
     */
    public synchronized void killsPerSecond(double perSecond) {
        if (killTimer != null) {
            killTimer.cancel(false);
            killTimer = null;
        }
        if (perSecond <= 0) {
            return;
        }
        double perTick = Math.min(1.0, perSecond * KILL_TICK_MILLIS / 1000.0);
        Random random = new Random(nextSeed());
        killTimer = loop.next().scheduleAtFixedRate(() -> {
            if (random.nextDouble() < perTick) {
                List<Channel> open = new ArrayList<>(clients);
                if (!open.isEmpty()) {
                    counters.killedByTimer.increment();
                    open.get(random.nextInt(open.size())).close();
                }
            }
        }, KILL_TICK_MILLIS, KILL_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Cuts every open connection now (their clients reconnect and say Hello again). */
    public void killAll() {
        counters.killedAll.increment();
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    public int openConnections() {
        return clients.size();
    }

    public FaultCounters counters() {
        return counters;
    }

    @Override
    public synchronized void close() {
        if (killTimer != null) {
            killTimer.cancel(false);
        }
        if (listener != null) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private long nextSeed() {
        synchronized (seeds) {
            return seeds.nextLong();
        }
    }

    /** On a client connection becoming active: connect its backend on the same loop, then start reading. */
    private final class BackendConnector extends ChannelInboundHandlerAdapter {
        private final FaultRelayHandler clientSide;

        BackendConnector(FaultRelayHandler clientSide) {
            this.clientSide = clientSide;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            counters.connections.increment();
            clients.add(inbound);
            long backendSeed = nextSeed();
            new Bootstrap().group(inbound.eventLoop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, BACKEND_CONNECT_TIMEOUT_MILLIS)
                    .handler(new ProxySideInitializer(
                            ch -> new FaultRelayHandler(FaultProxy.this::plan, counters, backendSeed, inbound), null))
                    .connect(backendHost, backendPort)
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            counters.backendRefused.increment();
                            inbound.close();
                            return;
                        }
                        Channel backend = connected.channel();
                        if (!inbound.isActive()) {
                            backend.close();
                            return;
                        }
                        clientSide.peer(backend);
                        inbound.config().setAutoRead(true);
                    });
            ctx.fireChannelActive();
        }
    }
}
