package im.client.sdk;

import im.client.sdk.transport.ClientFrameHandler;
import im.client.sdk.transport.ConnectionEvents;
import im.client.sdk.transport.PipelineNames;
import im.client.sdk.transport.TcpClientInitializer;
import im.client.sdk.transport.WebSocketClientInitializer;
import im.protocol.client.Frame;
import im.protocol.client.HelloOk;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt to connect, and the session it carries once Hello succeeded. What its channel
 * reports goes to the {@link Connector} that made it, on the event loop.
 */
final class Connection implements ConnectionEvents {

    final Endpoint endpoint;
    final CompletableFuture<HelloOk> hello = new CompletableFuture<>();
    final ClientFrameHandler handler;
    /** The socket from the moment the connect started (to cancel it). */
    volatile Channel transportChannel;
    /** The socket once it is ready for frames. */
    volatile Channel channel;
    volatile HelloOk helloOk;
    volatile boolean closedByUs;
    final AtomicBoolean ended = new AtomicBoolean();
    /** Done once the close was handled and the listener's last callback queued. */
    final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final Connector owner;

    Connection(Endpoint endpoint, Connector owner) {
        this.endpoint = endpoint;
        this.owner = owner;
        this.handler = new ClientFrameHandler(this, endpoint.openOnActive());
    }

    /** Starts connecting (event loop); a connect that fails ends this attempt. */
    void start(EventLoopGroup group, SslContext sslContext, int maxFrameBytes, Duration connectTimeout) {
        ChannelHandler initializer = endpoint.websocket()
                ? new WebSocketClientInitializer(endpoint.uri(), sslContext, maxFrameBytes,
                        connectTimeout.toMillis(), handler)
                : new TcpClientInitializer(endpoint.host(), endpoint.port(), sslContext, maxFrameBytes, handler);
        ChannelFuture connecting = new Bootstrap().group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer)
                .connect(endpoint.host(), endpoint.port());
        transportChannel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                owner.ended(this, f.cause());
            }
        });
    }

    static void startHeartbeat(Channel ch, HelloOk ok) {
        int interval = ok.getHeartbeatIntervalMs();
        if (interval <= 0) {
            return;
        }
        // Server closes after about three silent intervals; a server that answers nothing for
        // three intervals (it answers every Ping) is gone, so the client gives up just as soon.
        IdleStateHandler idle = new IdleStateHandler(3L * interval, interval, 0, TimeUnit.MILLISECONDS);
        if (ch.pipeline().get(PipelineNames.TLS) != null) {
            ch.pipeline().addAfter(PipelineNames.TLS, PipelineNames.IDLE, idle);
        } else {
            ch.pipeline().addFirst(PipelineNames.IDLE, idle);
        }
    }

    @Override
    public void onOpen(Channel ch) {
        channel = ch;
        owner.opened(this, ch);
    }

    @Override
    public void onFrame(Frame frame) {
        owner.frame(this, frame);
    }

    @Override
    public void onClosed(Throwable cause) {
        owner.ended(this, cause);
    }
}
