package im.bench.relay;

import im.bench.load.Frames;
import im.protocol.client.DeliverAck;
import im.protocol.client.Deliver;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import im.protocol.client.HelloOk;
import im.protocol.client.Message;
import im.protocol.client.Pong;
import im.protocol.client.Send;
import im.protocol.client.SendAck;
import im.protocol.client.SyncPage;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.AttributeKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: a raw Netty relay with no auth and no persistence that speaks the same frames as
 * the push edge. Hello names the user by its token ("u<id>"); Send is forwarded as a Deliver to
 * the receiver's channel and answered with a SendAck; the receiver's DeliverAck travels back to
 * the sender as a DeliveryReceipt. What the standalone app does beyond this is what it costs.
 */
public final class RelayServer implements AutoCloseable {

    private static final AttributeKey<Long> USER = AttributeKey.valueOf("im.bench.relay.user");

    private final NioEventLoopGroup boss = new NioEventLoopGroup(1);
    private final NioEventLoopGroup workers;
    private final Map<Long, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private final Channel server;

    public RelayServer(String host, int port, int ioThreads) throws InterruptedException {
        this.workers = new NioEventLoopGroup(ioThreads);
        Handler handler = new Handler();
        this.server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Frames.install(ch.pipeline());
                        ch.pipeline().addLast(handler);
                    }
                }).bind(host, port).sync().channel();
    }

    public int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String conversation(long a, long b) {
        return "p:" + Math.min(a, b) + ":" + Math.max(a, b);
    }

    /** The other member of "p:low:high". */
    private static long peer(String conversation, long me) {
        int second = conversation.lastIndexOf(':');
        long low = Long.parseLong(conversation.substring(2, second));
        long high = Long.parseLong(conversation.substring(second + 1));
        return low == me ? high : low;
    }

    @ChannelHandler.Sharable
    private final class Handler extends SimpleChannelInboundHandler<Frame> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            Channel channel = ctx.channel();
            Long user = channel.attr(USER).get();
            switch (frame.getBodyCase()) {
                case HELLO -> hello(ctx, frame);
                case SEND -> {
                    if (user != null) {
                        send(ctx, user, frame.getRequestId(), frame.getSend());
                    }
                }
                case DELIVER_ACK -> {
                    if (user != null) {
                        ack(user, frame.getDeliverAck());
                    }
                }
                case SYNC_REQUEST -> ctx.writeAndFlush(Frame.newBuilder().setRequestId(frame.getRequestId())
                        .setSyncPage(SyncPage.newBuilder().setConversationId(frame.getSyncRequest().getConversationId()))
                        .build(), ctx.voidPromise());
                case PING -> ctx.writeAndFlush(Frame.newBuilder().setRequestId(frame.getRequestId())
                        .setPong(Pong.newBuilder().setServerTimeMs(System.currentTimeMillis())).build(), ctx.voidPromise());
                default -> { }
            }
        }

        private void hello(ChannelHandlerContext ctx, Frame frame) {
            String token = frame.getHello().getAccessToken();
            long userId;
            try {
                userId = Long.parseLong(token.startsWith("u") ? token.substring(1) : token);
            } catch (NumberFormatException e) {
                ctx.writeAndFlush(Frame.newBuilder().setRequestId(frame.getRequestId()).setError(
                        im.protocol.client.Error.newBuilder().setCode(ErrorCode.UNAUTHENTICATED)).build());
                ctx.close();
                return;
            }
            ctx.channel().attr(USER).set(userId);
            Channel channel = ctx.channel();
            channels.put(userId, channel);
            channel.closeFuture().addListener(f -> channels.remove(userId, channel));
            ctx.writeAndFlush(Frame.newBuilder().setRequestId(frame.getRequestId()).setHelloOk(HelloOk.newBuilder()
                    .setUserId(userId).setSessionEpoch(1).setServerTimeMs(System.currentTimeMillis())
                    .setHeartbeatIntervalMs(30_000).setNodeId("relay")).build(), ctx.voidPromise());
        }

        private void send(ChannelHandlerContext ctx, long sender, long requestId, Send send) {
            long to = send.getToUserId();
            long s = seq.incrementAndGet();
            long now = System.currentTimeMillis();
            String conversation = conversation(sender, to);
            Channel receiver = channels.get(to);
            if (receiver != null) {
                receiver.writeAndFlush(Frame.newBuilder().setDeliver(Deliver.newBuilder().setMessage(Message.newBuilder()
                        .setMsgId(s).setConversationId(conversation).setSeq(s).setSenderId(sender)
                        .setClientMsgId(send.getClientMsgId()).setBody(send.getBody()).setCreatedAtMs(now)))
                        .build(), receiver.voidPromise());
            }
            ctx.writeAndFlush(Frame.newBuilder().setRequestId(requestId).setSendAck(SendAck.newBuilder()
                    .setClientMsgId(send.getClientMsgId()).setMsgId(s).setConversationId(conversation).setSeq(s)
                    .setCreatedAtMs(now)).build(), ctx.voidPromise());
        }

        private void ack(long user, DeliverAck ack) {
            Channel sender = channels.get(peer(ack.getConversationId(), user));
            if (sender != null) {
                sender.writeAndFlush(Frame.newBuilder().setDeliveryReceipt(DeliveryReceipt.newBuilder()
                        .setConversationId(ack.getConversationId()).setRecipientId(user).setUpToSeq(ack.getSeq()))
                        .build(), sender.voidPromise());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
