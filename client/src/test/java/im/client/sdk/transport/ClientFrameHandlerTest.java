package im.client.sdk.transport;

import im.protocol.client.Frame;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientFrameHandlerTest {

    private static final class Recorder implements ConnectionEvents {
        int opened;
        final List<Frame> frames = new ArrayList<>();
        boolean closed;
        Throwable cause;

        @Override
        public void onOpen(Channel channel) {
            opened++;
        }

        @Override
        public void onFrame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void onClosed(Throwable cause) {
            closed = true;
            this.cause = cause;
        }
    }

    @Test
    void tcpConnectionIsOpenOnceActive() {
        Recorder events = new Recorder();
        new EmbeddedChannel(new ClientFrameHandler(events, true));
        assertEquals(1, events.opened);
    }

    @Test
    void webSocketConnectionIsOpenOnlyAfterTheHandshake() {
        Recorder events = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new ClientFrameHandler(events, false));
        assertEquals(0, events.opened);
        ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        assertEquals(1, events.opened);
    }

    @Test
    void writeIdleSendsAPing() {
        EmbeddedChannel ch = new EmbeddedChannel(new ClientFrameHandler(new Recorder(), true));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        Frame ping = ch.readOutbound();
        assertEquals(Frame.BodyCase.PING, ping.getBodyCase());
        assertTrue(ch.isActive());
    }

    @Test
    void readIdleClosesAndReportsATimeout() {
        Recorder events = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new ClientFrameHandler(events, true));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertFalse(ch.isActive());
        assertTrue(events.closed);
        assertInstanceOf(TimeoutException.class, events.cause);
    }

    @Test
    void firstRecordedCauseIsTheOneReported() {
        Recorder events = new Recorder();
        ClientFrameHandler handler = new ClientFrameHandler(events, true);
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        IllegalStateException first = new IllegalStateException("session replaced");
        handler.recordCause(first);
        ch.pipeline().fireExceptionCaught(new RuntimeException("later"));
        assertFalse(ch.isActive());
        assertEquals(first, events.cause);
    }

    @Test
    void plainCloseReportsNoCause() {
        Recorder events = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new ClientFrameHandler(events, true));
        ch.close();
        assertTrue(events.closed);
        assertNull(events.cause);
    }

    @Test
    void framesReachTheOwnerInOrder() {
        Recorder events = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new ClientFrameHandler(events, true));
        Frame a = Frame.newBuilder().setRequestId(1).build();
        Frame b = Frame.newBuilder().setRequestId(2).build();
        ch.writeInbound(a, b);
        assertEquals(List.of(a, b), events.frames);
    }
}
