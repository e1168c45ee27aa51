package im.push.connection;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.ErrorCode;
import im.protocol.client.Frame;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A listener on a real socket: stopping it tells each client to go elsewhere, then closes. */
class ClientListenerTest {

    private static ConnectionConfig defaults() {
        return new ConnectionConfig() {
            @Override
            public int writeBufferLowWater() {
                return 32 * 1024;
            }

            @Override
            public int writeBufferHighWater() {
                return 64 * 1024;
            }

            @Override
            public Duration unwritableCloseAfter() {
                return Duration.ofSeconds(30);
            }

            @Override
            public int maxPendingWriteBytes() {
                return 1024 * 1024;
            }

            @Override
            public Duration drainJitter() {
                return Duration.ofSeconds(5);
            }
        };
    }

    /** A listener on an ephemeral port that lists each accepted channel after {@code setUp} ran on it. */
    private static ClientListener listener(List<SocketChannel> accepted, Consumer<SocketChannel> setUp) {
        return ClientListener.bind(
                new ClientListener.Settings("test", "127.0.0.1", 0, 1, 16, defaults()),
                connections -> new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        setUp.accept(channel);
                        accepted.add(channel);
                    }
                });
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxTheListenerRunsOnEpollAndServesAClient() throws Exception {
        List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
        ClientListener listener = listener(accepted, channel -> {
        });
        try (Socket client = new Socket("127.0.0.1", listener.port())) {
            assertEquals(ServerTransport.EPOLL, listener.transport(), String.valueOf(ServerTransport.whyNotEpoll()));
            await().atMost(Duration.ofSeconds(10)).until(() -> !accepted.isEmpty());
            assertInstanceOf(EpollSocketChannel.class, accepted.get(0));
        } finally {
            listener.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void stoppingTellsConnectedClientsToReconnectAfterAJitteredDelayAndCloses() throws Exception {
        List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
        ClientListener listener = listener(accepted,
                channel -> channel.pipeline().addLast(new ProtobufVarint32LengthFieldPrepender(), new ProtobufEncoder()));
        try (Socket client = new Socket("127.0.0.1", listener.port())) {
            InputStream in = client.getInputStream();
            await().atMost(Duration.ofSeconds(10)).until(() -> !accepted.isEmpty());

            listener.close(Duration.ofSeconds(5));

            Frame goingAway = Frame.parseDelimitedFrom(in);
            assertEquals(ErrorCode.GOING_AWAY, goingAway.getError().getCode());
            long delay = Long.parseLong(goingAway.getError().getMessage());
            assertTrue(delay >= 0 && delay < 5000);
            assertNull(Frame.parseDelimitedFrom(in), "then the connection ends");
        }
    }
}
