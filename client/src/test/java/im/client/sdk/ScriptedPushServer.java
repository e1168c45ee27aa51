package im.client.sdk;

import im.client.sdk.transport.TcpClientInitializer;
import im.client.sdk.transport.WebSocketClientInitializer;
import im.protocol.client.Frame;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The other end of the wire for SDK tests, over real sockets: it speaks the same framing as push
 * (TCP varint32 or one binary WebSocket message per frame) and does what each test tells it, since
 * the push service itself cannot run in this module. Frames it receives are queued for the test.
 */
final class ScriptedPushServer implements AutoCloseable {

    enum Transport { TCP, WEBSOCKET }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private final Channel server;
    private final Transport transport;
    private volatile Channel client;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    ScriptedPushServer(Transport transport) throws InterruptedException {
        this.transport = transport;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (transport == Transport.TCP) {
                            TcpClientInitializer.addFrameCodec(ch.pipeline(), 1024 * 1024);
                        } else {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketServerProtocolHandler("/ws", null, false, 1024 * 1024));
                            WebSocketClientInitializer.addMessageCodec(ch.pipeline(), 1024 * 1024);
                        }
                        ch.pipeline().addLast(new io.netty.channel.ChannelDuplexHandler() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                                client = ctx.channel();
                                connections.incrementAndGet();
                                super.channelActive(ctx);
                            }
                        });
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<Frame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
                                received.add(frame);
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    URI endpoint() {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return URI.create(transport == Transport.TCP ? "tcp://127.0.0.1:" + port : "ws://127.0.0.1:" + port + "/ws");
    }

    /** The next frame the client sent; fails the test when none comes. */
    Frame next() throws InterruptedException {
        Frame f = received.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("the client sent nothing");
        }
        return f;
    }

    /** The next frame that is not a heartbeat Ping. */
    Frame nextNonPing() throws InterruptedException {
        Frame f;
        do {
            f = next();
        } while (f.getBodyCase() == Frame.BodyCase.PING && f.getRequestId() == 0);
        return f;
    }

    void write(Frame frame) {
        client.writeAndFlush(frame).syncUninterruptibly();
    }

    void closeClient() {
        client.close().syncUninterruptibly();
    }

    /** Answers the next frame, which must be a Hello, with HelloOk; returns that Hello. */
    Frame acceptHello(long userId) throws InterruptedException {
        Frame hello = nextNonPing();
        if (hello.getBodyCase() != Frame.BodyCase.HELLO) {
            throw new AssertionError("expected Hello, got " + hello);
        }
        write(Frame.newBuilder().setRequestId(hello.getRequestId()).setHelloOk(
                im.protocol.client.HelloOk.newBuilder().setUserId(userId).setHeartbeatIntervalMs(30_000)).build());
        return hello;
    }

    /** Connections accepted so far (a reconnect adds one). */
    int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
