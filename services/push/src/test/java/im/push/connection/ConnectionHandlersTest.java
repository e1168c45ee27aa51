package im.push.connection;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idle, backpressure and connection-limit handlers on an embedded channel (its clock is the test's). */
class ConnectionHandlersTest {

    private final ConnectionCounters counters = new ConnectionCounters();

    @Test
    void silentConnectionIsClosedByItsTimerAndCounted() {
        EmbeddedChannel channel = new EmbeddedChannel(new IdleCloseHandler(counters, 50));

        // The handler measures silence on the system clock, the channel runs its timer on its own:
        // move the channel's clock along until the handler has seen 50 ms of real silence.
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> {
            channel.advanceTimeBy(10, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            return !channel.isOpen();
        });

        assertFalse(channel.isOpen());
        assertEquals(1, counters.idleClosed());
    }

    @Test
    void writerIdleAloneDoesNotClose() throws Exception {
        IdleCloseHandler idle = new IdleCloseHandler(counters, 60_000);
        EmbeddedChannel channel = new EmbeddedChannel(idle);

        idle.channelIdle(channel.pipeline().context(idle), IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);

        assertTrue(channel.isOpen());
        assertEquals(0, counters.idleClosed());
        channel.finishAndReleaseAll();
    }

    private EmbeddedChannel slowClient() {
        EmbeddedChannel channel = new EmbeddedChannel(new WritabilityHandler(counters, Duration.ofSeconds(30)));
        channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8, 16));
        return channel;
    }

    @Test
    void readingPausesWhileTheClientDoesNotTakeItsFramesAndResumesAfter() {
        EmbeddedChannel channel = slowClient();

        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        assertFalse(channel.isWritable());
        assertFalse(channel.config().isAutoRead());

        channel.flush();
        assertTrue(channel.isWritable());
        assertTrue(channel.config().isAutoRead());
        channel.advanceTimeBy(31, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "a client that caught up stays");
        channel.finishAndReleaseAll();
    }

    @Test
    void clientThatStaysUnwritableIsClosed() {
        EmbeddedChannel channel = slowClient();

        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertFalse(channel.isOpen());
        assertEquals(1, counters.slowClosed());
    }

    @Test
    void deliveriesBeyondTheHardCapCloseTheConnection() {
        EmbeddedChannel channel = slowClient();
        channel.write(Unpooled.wrappedBuffer(new byte[64]));

        assertTrue(WritabilityHandler.admit(channel, 1024), "over the high-water mark but under the cap");
        channel.write(Unpooled.wrappedBuffer(new byte[2048]));
        assertFalse(WritabilityHandler.admit(channel, 1024));
        assertFalse(channel.isOpen());
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() {
        ConnectionLimitHandler limit = new ConnectionLimitHandler(counters, 1);
        EmbeddedChannel first = new EmbeddedChannel(limit);
        EmbeddedChannel second = new EmbeddedChannel(limit);

        assertTrue(first.isOpen());
        assertFalse(second.isOpen());
        assertEquals(1, counters.open());
        assertEquals(1, counters.refusedAtLimit());

        first.close();
        assertEquals(0, counters.open());
        assertTrue(new EmbeddedChannel(limit).isOpen(), "room again after a close");
    }
}
