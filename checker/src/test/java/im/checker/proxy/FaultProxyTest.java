package im.checker.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.protocol.client.Frame;
import im.protocol.client.Ping;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The proxy over real sockets: a plain backend that records (and optionally echoes) frames. */
class FaultProxyTest {

    private static final int FRAMES = 300;

    @Test
    void withoutFaults_everyFrameArrivesIntact_inOrder_bothWays() throws Exception {
        try (Backend backend = new Backend(true);
                FaultProxy proxy = new FaultProxy("127.0.0.1", backend.port(), 1).start();
                Socket client = connect(proxy)) {
            writePings(client.getOutputStream(), 1, FRAMES);
            assertEquals(ids(1, FRAMES), readIds(client.getInputStream(), FRAMES));
            assertEquals(0, proxy.counters().droppedTotal());
        }
    }

    @Test
    void delayedFrames_keepTheirOrderWithinADirection() throws Exception {
        try (Backend backend = new Backend(true);
                FaultProxy proxy = new FaultProxy("127.0.0.1", backend.port(), 2).start();
                Socket client = connect(proxy)) {
            proxy.plan(new FaultPlan(0, 0.5, 30, 0));
            writePings(client.getOutputStream(), 1, FRAMES);
            assertEquals(ids(1, FRAMES), readIds(client.getInputStream(), FRAMES));
            assertTrue(proxy.counters().delayed.sum() > 0, "some frames were delayed");
        }
    }

    @Test
    void theSameSeed_dropsTheSameFrames_anotherSeedOthers() throws Exception {
        List<Long> first = survivorsWithSeed(42);
        List<Long> again = survivorsWithSeed(42);
        List<Long> other = survivorsWithSeed(43);
        assertTrue(first.size() < FRAMES && !first.isEmpty(), "some dropped, some forwarded: " + first.size());
        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    private static List<Long> survivorsWithSeed(long seed) throws Exception {
        try (Backend backend = new Backend(false);
                FaultProxy proxy = new FaultProxy("127.0.0.1", backend.port(), seed).start()) {
            proxy.plan(new FaultPlan(0.3, 0, 0, 0));
            try (Socket client = connect(proxy)) {
                writePings(client.getOutputStream(), 1, FRAMES);
                // The marker frame is forwarded for sure once the plan no longer drops; it tells
                // the backend that every earlier frame was decided.
                awaitDecided(proxy, FRAMES);
                proxy.plan(FaultPlan.NONE);
                writePings(client.getOutputStream(), 0, 0);
                List<Long> received = backend.received.get(30, TimeUnit.SECONDS);
                return received;
            }
        }
    }

    private static void awaitDecided(FaultProxy proxy, int frames) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> proxy.counters().forwarded() + proxy.counters().droppedTotal() >= frames);
    }

    private static Socket connect(FaultProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Pings with request ids from..to; from 0 writes the marker (request id 0). */
    private static void writePings(OutputStream out, long from, long to) throws IOException {
        for (long id = from; id <= Math.max(from, to); id++) {
            Frame.newBuilder().setRequestId(id).setPing(Ping.getDefaultInstance()).build().writeDelimitedTo(out);
        }
        out.flush();
    }

    private static List<Long> readIds(InputStream in, int count) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Frame.parseDelimitedFrom(in).getRequestId());
        }
        return ids;
    }

    private static List<Long> ids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Accepts one connection; echoes every frame, or records request ids until the marker (id 0). */
    private static final class Backend implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final CompletableFuture<List<Long>> received = new CompletableFuture<>();
        private final Thread thread;

        Backend(boolean echo) throws IOException {
            thread = new Thread(() -> serve(echo), "test-backend");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(boolean echo) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(30_000);
                List<Long> ids = new ArrayList<>();
                while (true) {
                    Frame frame = Frame.parseDelimitedFrom(s.getInputStream());
                    if (frame == null) {
                        break;
                    }
                    if (echo) {
                        frame.writeDelimitedTo(s.getOutputStream());
                        s.getOutputStream().flush();
                    } else if (frame.getRequestId() == 0) {
                        break;
                    } else {
                        ids.add(frame.getRequestId());
                    }
                }
                received.complete(ids);
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
