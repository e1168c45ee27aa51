package im.push.fuzz;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.common.testing.TestTokens;
import im.protocol.client.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the push edge's decoding with the real handlers on an {@link EmbeddedChannel} (see
 * {@link EdgeUnderTest}): mutated client bytes on the TCP pipeline and, after a real upgrade, on
 * the WebSocket pipeline. Every input, followed by bytes that cannot be a frame, must end with an
 * Error frame and a closed connection; no exception may pass the tail handler, and Netty's leak
 * detector (PARANOID) must report nothing. 16,000 inputs in CI;
 * {@code -Dim.fuzz.inputs=1000000} for a long run.
 */
class FrameDecoderFuzzTest {

    /** 16,000 inputs in CI in all (~30 s here): the WebSocket pipeline costs about three times as much per input. */
    private static final int CI_TCP_INPUTS = 12_000;
    private static final int CI_WEBSOCKET_INPUTS = 4_000;
    /** Bytes that end any state of either decoder: whatever frame is open absorbs them and what follows is malformed. */
    private static final byte[] TERMINATOR = terminator();

    private static LeakWatch leaks;

    private final EdgeUnderTest edge = new EdgeUnderTest();
    private final String token = TestTokens.issue(1, "fuzzer");

    @BeforeAll
    static void watchLeaks() {
        leaks = new LeakWatch();
    }

    @AfterAll
    static void stopWatching() {
        leaks.close();
    }

    private static byte[] terminator() {
        byte[] bytes = new byte[EdgeUnderTest.MAX_FRAME_BYTES + 32];
        Arrays.fill(bytes, (byte) 0xFF);
        return bytes;
    }

    /** Input bytes as a socket hands them over: a pooled buffer, tracked by the leak detector. */
    private static ByteBuf pooled(byte[] bytes) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, bytes.length));
        buf.writeBytes(bytes);
        return buf;
    }

    private static byte[] drainOutbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part = channel.readOutbound(); part != null; part = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) part;
            if (buf.readableBytes() > 1 << 20) {
                String head = ByteBufUtil.hexDump(buf, buf.readerIndex(), 64);
                int size = buf.readableBytes();
                buf.release();
                throw new IllegalStateException("the server wrote " + size + " bytes at once: " + head);
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static List<Frame> tcpFrames(byte[] written) {
        List<Frame> frames = new ArrayList<>();
        ByteBuf buf = Unpooled.wrappedBuffer(written);
        try (ByteBufInputStream in = new ByteBufInputStream(buf, true)) {
            for (Frame frame = Frame.parseDelimitedFrom(in); frame != null; frame = Frame.parseDelimitedFrom(in)) {
                frames.add(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the server wrote bytes that are not frames", e);
        }
        return frames;
    }

    /** Writes, then runs what the handlers queued on the loop (answers come back through it). */
    private static void feed(EmbeddedChannel channel, byte[] bytes) {
        if (channel.isOpen()) {
            channel.writeInbound(pooled(bytes));
        }
        channel.runPendingTasks();
        channel.runPendingTasks();
    }

    private static boolean endsWithError(List<Frame> frames) {
        return !frames.isEmpty() && frames.get(frames.size() - 1).getBodyCase() == Frame.BodyCase.ERROR;
    }

    private static boolean anyError(List<Frame> frames) {
        return frames.stream().anyMatch(frame -> frame.getBodyCase() == Frame.BodyCase.ERROR);
    }

    @Test
    void mutatedTcpStreamsAlwaysEndInAnErrorAndACloseWithNothingEscapingOrLeaking() {
        FuzzRun run = FuzzRun.start("tcp-pipeline", "im.fuzz.inputs", CI_TCP_INPUTS);
        FrameMutator mutator = new FrameMutator(run.seed, FrameMutator.corpus(token, 2), EdgeUnderTest.MAX_FRAME_BYTES);
        drive(run, mutator::nextTcpStream, new Pipeline() {
            @Override
            public EmbeddedChannel open() {
                return edge.tcp();
            }

            @Override
            public boolean anyError(byte[] written) {
                return FrameDecoderFuzzTest.anyError(tcpFrames(written));
            }

            @Override
            public String badEnd(byte[] written) {
                List<Frame> frames = tcpFrames(written);
                return endsWithError(frames) ? null : "closed without an Error frame last: " + frames;
            }
        });
    }

    @Test
    void mutatedWebSocketMessagesAlwaysEndInAnErrorAndACloseWithNothingEscapingOrLeaking() {
        FuzzRun run = FuzzRun.start("websocket-pipeline", "im.fuzz.inputs", CI_WEBSOCKET_INPUTS);
        FrameMutator mutator = new FrameMutator(run.seed, FrameMutator.corpus(token, 2), EdgeUnderTest.MAX_FRAME_BYTES);
        byte[] upgrade = WebSocketBytes.upgradeRequest("127.0.0.1", EdgeUnderTest.WS_PATH);
        drive(run, mutator::nextWebSocketStream, new Pipeline() {
            @Override
            public EmbeddedChannel open() {
                return edge.webSocket();
            }

            @Override
            public String prepare(EmbeddedChannel channel) {
                feed(channel, upgrade);
                byte[] head = drainOutbound(channel);
                int body = WebSocketBytes.endOfHead(head, head.length);
                boolean upgraded = body >= 0
                        && new String(head, 0, body, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101");
                return upgraded ? null : "upgrade not accepted: " + new String(head, StandardCharsets.US_ASCII);
            }

            @Override
            public boolean anyError(byte[] written) {
                return FrameDecoderFuzzTest.anyError(WebSocketBytes.parseServerFrames(written).frames());
            }

            @Override
            public String badEnd(byte[] written) {
                WebSocketBytes.ServerFrames frames = WebSocketBytes.parseServerFrames(written);
                // a Close from the client is answered with Close, not with an Error
                return endsWithError(frames.frames()) || frames.close() ? null
                        : "closed without an Error frame last or a Close: " + frames.frames() + " after "
                                + HexFormat.of().formatHex(written);
            }
        });
    }

    /** One of the edge's pipelines, as the fuzz loop drives it. */
    private interface Pipeline {

        EmbeddedChannel open();

        /** Brings a new channel to where client frames reach the decoder (an upgrade); why not, or null. */
        default String prepare(EmbeddedChannel channel) {
            return null;
        }

        /** Whether what the server wrote holds an Error. */
        boolean anyError(byte[] written);

        /** Why what the server wrote until the close is not a proper end, or null when it is. */
        String badEnd(byte[] written);
    }

    /**
     * Feeds each input, then bytes that cannot be a frame, to a fresh channel: it must answer an
     * Error (or a Close) and close, with nothing escaping the pipeline and nothing leaking.
     */
    private void drive(FuzzRun run, Supplier<byte[]> inputs, Pipeline pipeline) {
        long unexpectedBefore = edge.counters.unexpectedErrors();
        long decodedBefore = edge.decoded.count();
        for (int i = 0; i < run.inputs; i++) {
            byte[] input = inputs.get();
            EmbeddedChannel channel = pipeline.open();
            try {
                String notReady = pipeline.prepare(channel);
                if (notReady != null) {
                    run.fail(i, input, notReady);
                    continue;
                }
                feed(channel, input);
                byte[] answered = drainOutbound(channel);
                if (pipeline.anyError(answered)) {
                    run.errorsAnswered++;
                }
                feed(channel, TERMINATOR);
                byte[] all = concat(answered, drainOutbound(channel));
                if (channel.isOpen()) {
                    run.fail(i, input, "still open after bytes that are no frame");
                } else {
                    run.closes++;
                }
                String badEnd = pipeline.badEnd(all);
                if (badEnd != null) {
                    run.fail(i, input, badEnd);
                }
            } catch (RuntimeException e) {
                run.escapes++;
                run.fail(i, input, "escaped the pipeline: " + e);
            } finally {
                channel.finishAndReleaseAll();
            }
        }
        run.escapes += edge.counters.unexpectedErrors() - unexpectedBefore;
        run.decoded = edge.decoded.count() - decodedBefore;
        report(run);
    }

    /** The leak watch is worth something only if it sees a buffer nobody released. */
    @Test
    void leakWatchSeesABufferThatWasNeverReleased() {
        try (LeakWatch watch = new LeakWatch()) {
            leakOneBuffer();
            await().atMost(Duration.ofSeconds(20)).until(() -> !watch.reports().isEmpty());
        }
        // the deliberate leak must not count against the fuzz runs sharing the JVM
        leaks.reports();
        leaks.forget();
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeBytes("never released".getBytes(StandardCharsets.US_ASCII));
        leaked.touch("leaked on purpose by FrameDecoderFuzzTest");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void report(FuzzRun run) {
        List<String> leaked = leaks.reports();
        System.out.println(run.summary(leaked.size()));
        assertTrue(leaked.isEmpty(), () -> "Netty reported leaks: " + leaked);
        assertFalse(run.failed(), () -> run.summary(leaked.size()) + "\n" + String.join("\n", run.failures()));
        assertEquals(0, run.escapes);
        assertEquals(run.inputs, run.closes);
    }
}
