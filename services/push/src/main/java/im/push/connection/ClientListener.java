package im.push.connection;

import im.protocol.client.ErrorCode;
import im.push.codec.ClientErrors;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One bound client listener with its own event loops: what {@code TcpServer} and
 * {@code WebSocketServer} share. It tracks its open connections so that stopping closes them
 * (each close runs the session's cleanup) before the event loops go away.
 */
public final class ClientListener {

    /** Where and how to listen. {@code ioThreads} 0 means Netty's default (twice the cores). */
    public record Settings(String name, String host, int port, int ioThreads, int backlog,
            ConnectionConfig connection) {
    }

    private static final Logger LOG = Logger.getLogger(ClientListener.class);

    private final Settings settings;
    private final ServerTransport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup connections;
    private final Channel serverChannel;

    private ClientListener(Settings settings, Function<ChannelGroup, ChannelInitializer<SocketChannel>> initializer) {
        this.settings = settings;
        this.transport = ServerTransport.best();
        this.boss = transport.newEventLoops(1, new DefaultThreadFactory("im-push-" + settings.name() + "-accept"));
        this.workers = transport.newEventLoops(settings.ioThreads(),
                new DefaultThreadFactory("im-push-" + settings.name() + "-io"));
        this.connections = new DefaultChannelGroup("im-push-" + settings.name(), GlobalEventExecutor.INSTANCE);
        ConnectionConfig connection = settings.connection();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, settings.backlog())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(connection.writeBufferLowWater(), connection.writeBufferHighWater()))
                .childHandler(initializer.apply(connections));
        try {
            this.serverChannel = bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            boss.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw e;
        }
        LOG.infof("%s listener on %s (%s)", settings.name(), serverChannel.localAddress(), transport);
        if (transport != ServerTransport.EPOLL) {
            LOG.debugf("epoll not used: %s", ServerTransport.whyNotEpoll());
        }
    }

    public static ClientListener bind(Settings settings,
            Function<ChannelGroup, ChannelInitializer<SocketChannel>> initializer) {
        return new ClientListener(settings, initializer);
    }

    /** The socket layer this listener runs on. */
    public ServerTransport transport() {
        return transport;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops accepting, tells every client to reconnect elsewhere after a jittered delay
     * (Error{GOING_AWAY}, the delay in milliseconds in its message), closes every connection,
     * then stops the event loops.
     */
    public void close(Duration grace) {
        serverChannel.close().syncUninterruptibly();
        long jitter = Math.max(1, settings.connection().drainJitter().toMillis());
        for (Channel channel : connections) {
            long delay = ThreadLocalRandom.current().nextLong(jitter);
            channel.writeAndFlush(ClientErrors.frame(0, ErrorCode.GOING_AWAY, Long.toString(delay)))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        connections.newCloseFuture().awaitUninterruptibly(grace.toMillis());
        connections.close().awaitUninterruptibly(grace.toMillis());
        boss.shutdownGracefully(0, grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(grace.toMillis() * 2);
        LOG.infof("%s listener stopped", settings.name());
    }
}
