package im.push.connection;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The socket layer under the client listeners: Linux's epoll through Netty's native transport
 * where its library loads (every Linux node and container on x86-64 or ARM64), the JDK's NIO
 * elsewhere (a laptop on macOS or Windows).
 *
 * <p>Why epoll: most of a push node's connections say nothing for minutes, so what each costs at
 * rest is what the node costs. A NIO channel wraps the JDK's socket channel, which brings its own
 * socket adaptor, file descriptor object, read and write locks and a selection key: several
 * hundred bytes of heap per connection that an epoll channel does without. Epoll's edge-triggered
 * wake-ups also spare the selector's per-wake-up key set.
 */
public enum ServerTransport {

    EPOLL {
        @Override
        public EventLoopGroup newEventLoops(int threads, ThreadFactory threadFactory) {
            return new EpollEventLoopGroup(threads, threadFactory);
        }

        @Override
        public Class<? extends ServerChannel> serverChannel() {
            return EpollServerSocketChannel.class;
        }
    },
    NIO {
        @Override
        public EventLoopGroup newEventLoops(int threads, ThreadFactory threadFactory) {
            return new NioEventLoopGroup(threads, threadFactory);
        }

        @Override
        public Class<? extends ServerChannel> serverChannel() {
            return NioServerSocketChannel.class;
        }
    };

    /** Epoll when Netty's native library loads here, NIO otherwise. */
    public static ServerTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Why epoll is not used here, or null when it is. */
    public static Throwable whyNotEpoll() {
        return Epoll.unavailabilityCause();
    }

    /** Event loops of this transport; {@code threads} 0 means Netty's default (twice the cores). */
    public abstract EventLoopGroup newEventLoops(int threads, ThreadFactory threadFactory);

    public abstract Class<? extends ServerChannel> serverChannel();
}
