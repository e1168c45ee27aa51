package im.push.end2end;

import static im.push.end2end.TestUsers.befriend;
import static im.push.end2end.TestUsers.sendAck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import im.common.testing.TestTokensResource;
import im.protocol.client.DeliverAck;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.protocol.user.UserDirectoryGrpc;
import im.push.PushConfig;
import im.push.connection.ConnectionCounters;
import im.push.end2end.TestUsers.User;
import im.push.fuzz.FrameMutator;
import im.push.fuzz.FuzzRun;
import im.push.fuzz.LeakWatch;
import im.push.fuzz.WebSocketBytes;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the running push node over real sockets: connections on both listeners send mutated
 * bytes (after a real Hello half of the time, so they reach the session handler, the router and
 * presence), then bytes that can be no frame. Each must end closed, the node must count no
 * unexpected error, Netty's leak detector (PARANOID) must report nothing, and two friends on the
 * same node keep chatting (send, deliver, ack) throughout and afterwards. 1,200 TCP and 600
 * WebSocket connections in CI; {@code -Dim.fuzz.socket-inputs=N} for each listener in a long run.
 */
@QuarkusTest
@QuarkusTestResource(TestTokensResource.class)
class PushEdgeFuzzTest {

    private static final int TCP_PORT = 17005;
    private static final int WS_PORT = 17006;
    private static final int PARALLEL = 8;
    /** How long a fuzz connection may stay open after its last byte: the Hello timeout is 5 s in tests. */
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    @GrpcClient("user")
    UserDirectoryGrpc.UserDirectoryBlockingStub users;

    @Inject
    ConnectionCounters counters;

    @Inject
    PushConfig push;

    /** What one fuzz connection saw. */
    private record Outcome(byte[] input, boolean closed, boolean errorAnswered, String problem) {
    }

    @Test
    void mutatedBytesOnBothListenersEndClosedWhileFriendsOnTheSameNodeKeepChatting() throws Exception {
        User alice = TestUsers.create(users, "fuzz-alice");
        User bob = TestUsers.create(users, "fuzz-bob");
        User fuzzer = TestUsers.create(users, "fuzzer");
        befriend(alice, bob);
        byte[] terminator = new byte[push.maxFrameBytes() + 32];
        Arrays.fill(terminator, (byte) 0xFF);
        long unexpectedBefore = counters.unexpectedErrors();

        try (LeakWatch leaks = new LeakWatch();
                TcpDevice aliceTcp = new TcpDevice(TCP_PORT);
                WebSocketDevice bobWs = new WebSocketDevice(WS_PORT)) {
            aliceTcp.hello(1, alice.token(), "alice-phone");
            bobWs.hello(1, bob.token(), "bob-browser");
            AtomicInteger requestIds = new AtomicInteger(100);
            chat(aliceTcp, bobWs, bob, requestIds);

            int tcpInputs = Integer.getInteger("im.fuzz.socket-inputs", 1200);
            int wsInputs = Integer.getInteger("im.fuzz.socket-inputs", 600);
            FuzzRun tcp = FuzzRun.start("tcp-socket", "im.fuzz.socket-inputs", tcpInputs);
            FuzzRun ws = FuzzRun.start("websocket-socket", "im.fuzz.socket-inputs", wsInputs);
            FrameMutator tcpMutator = new FrameMutator(tcp.seed, FrameMutator.corpus(fuzzer.token(), alice.id()),
                    push.maxFrameBytes());
            FrameMutator wsMutator = new FrameMutator(ws.seed + 1, FrameMutator.corpus(fuzzer.token(), alice.id()),
                    push.maxFrameBytes());
            Frame hello = FrameMutator.corpus(fuzzer.token(), alice.id()).get(0);

            ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
            int chatsDuring = 0;
            try {
                List<Future<Outcome>> tcpOutcomes = new ArrayList<>();
                List<Future<Outcome>> wsOutcomes = new ArrayList<>();
                // inputs are drawn here, in order, so the seed replays them whatever the threads do
                for (int i = 0; i < Math.max(tcp.inputs, ws.inputs); i++) {
                    if (i < tcp.inputs) {
                        boolean helloFirst = tcpMutator.nextInt(2) == 0;
                        byte[] input = tcpMutator.nextTcpStream();
                        String device = "fuzz-tcp-" + i;
                        tcpOutcomes.add(pool.submit(() -> tcpConnection(helloFirst ? withDevice(hello, device) : null,
                                input, terminator)));
                    }
                    if (i < ws.inputs) {
                        boolean helloFirst = wsMutator.nextInt(2) == 0;
                        byte[] input = wsMutator.nextWebSocketStream();
                        String device = "fuzz-ws-" + i;
                        wsOutcomes.add(pool.submit(() -> webSocketConnection(helloFirst ? withDevice(hello, device) : null,
                                input, terminator)));
                    }
                }
                pool.shutdown();
                while (!pool.isTerminated()) {
                    chat(aliceTcp, bobWs, bob, requestIds);
                    chatsDuring++;
                }
                tally(tcp, tcpOutcomes);
                tally(ws, wsOutcomes);
            } finally {
                pool.shutdownNow();
            }

            chat(aliceTcp, bobWs, bob, requestIds);
            assertFalse(aliceTcp.isClosed());
            assertFalse(bobWs.isClosed());

            List<String> leaked = leaks.reports();
            long unexpected = counters.unexpectedErrors() - unexpectedBefore;
            tcp.escapes = unexpected;
            for (FuzzRun run : List.of(tcp, ws)) {
                System.out.println(run.summary(leaked.size()) + ", chat rounds during the run " + chatsDuring);
            }
            assertTrue(leaked.isEmpty(), () -> "Netty reported leaks: " + leaked);
            assertEquals(0, unexpected, "unexpected errors counted by the tail handler");
            for (FuzzRun run : List.of(tcp, ws)) {
                assertFalse(run.failed(), () -> run.summary(leaked.size()) + "\n" + String.join("\n", run.failures()));
                assertEquals(run.inputs, run.closes);
            }
            assertTrue(chatsDuring > 0, "the friends chatted while the node was being fuzzed");
        }
    }

    private static Frame withDevice(Frame hello, String device) {
        return hello.toBuilder().setHello(hello.getHello().toBuilder().setDeviceId(device)).build();
    }

    /** One message from alice to bob: stored (SendAck), delivered, acknowledged. */
    private static void chat(TcpDevice alice, WebSocketDevice bob, User bobUser, AtomicInteger requestIds)
            throws Exception {
        int requestId = requestIds.incrementAndGet();
        String text = "still here " + requestId;
        alice.send(Frame.newBuilder().setRequestId(requestId).setSend(Send.newBuilder()
                .setClientMsgId(UUID.randomUUID().toString()).setToUserId(bobUser.id())
                .setBody(ByteString.copyFromUtf8(text))).build());
        sendAck(alice.answerTo(requestId));
        Message delivered = bob.take(frame -> frame.getBodyCase() == Frame.BodyCase.DELIVER
                && frame.getDeliver().getMessage().getBody().toStringUtf8().equals(text)).getDeliver().getMessage();
        bob.send(Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                .setConversationId(delivered.getConversationId()).setSeq(delivered.getSeq())
                .setMsgId(delivered.getMsgId())).build());
    }

    private static void tally(FuzzRun run, List<Future<Outcome>> outcomes) throws Exception {
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i).get();
            if (outcome.closed()) {
                run.closes++;
            }
            if (outcome.errorAnswered()) {
                run.errorsAnswered++;
            }
            if (outcome.problem() != null) {
                run.fail(i, outcome.input(), outcome.problem());
            }
        }
    }

    private static Outcome tcpConnection(Frame hello, byte[] input, byte[] terminator) {
        try (Socket socket = new Socket("127.0.0.1", TCP_PORT)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (hello != null) {
                hello.writeDelimitedTo(out);
                // HelloOk, or a refusal (a busy node may answer UNAVAILABLE); either way the fuzz goes on
                if (Frame.parseDelimitedFrom(in) == null) {
                    return new Outcome(input, true, false, null);
                }
            }
            writeQuietly(out, input);
            writeQuietly(out, terminator);
            List<Frame> frames = new ArrayList<>();
            boolean closed = readUntilClosed(in, bytes -> frames.addAll(delimitedFrames(bytes)));
            boolean error = frames.stream().anyMatch(frame -> frame.getBodyCase() == Frame.BodyCase.ERROR);
            return new Outcome(input, closed, error, closed ? null : "still open " + READ_TIMEOUT_MILLIS + " ms later");
        } catch (IOException e) {
            return new Outcome(input, false, false, "could not connect: " + e);
        }
    }

    private static Outcome webSocketConnection(Frame hello, byte[] input, byte[] terminator) {
        try (Socket socket = new Socket("127.0.0.1", WS_PORT)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(WebSocketBytes.upgradeRequest("127.0.0.1", "/ws"));
            byte[] head = new byte[4096];
            int read = 0;
            int end;
            while ((end = WebSocketBytes.endOfHead(head, read)) < 0) {
                int n = in.read(head, read, head.length - read);
                if (n < 0) {
                    return new Outcome(input, true, false, "closed during the upgrade");
                }
                read += n;
            }
            if (!new String(head, 0, end, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
                return new Outcome(input, false, false, "upgrade refused: " + new String(head, 0, end, StandardCharsets.US_ASCII));
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            received.write(head, end, read - end);
            if (hello != null) {
                out.write(WebSocketBytes.clientFrame(true, WebSocketBytes.OP_BINARY, hello.toByteArray(), 0x5A5A5A5A));
                while (WebSocketBytes.parseServerFrames(received.toByteArray()).frames().isEmpty()) {
                    int n = in.read(head);
                    if (n < 0) {
                        return new Outcome(input, true, false, "closed after a valid Hello");
                    }
                    received.write(head, 0, n);
                }
            }
            writeQuietly(out, input);
            writeQuietly(out, terminator);
            boolean closed = readUntilClosed(in, received::writeBytes);
            WebSocketBytes.ServerFrames written = WebSocketBytes.parseServerFrames(received.toByteArray());
            boolean error = written.frames().stream().anyMatch(frame -> frame.getBodyCase() == Frame.BodyCase.ERROR);
            return new Outcome(input, closed, error, closed ? null : "still open " + READ_TIMEOUT_MILLIS + " ms later");
        } catch (IOException e) {
            return new Outcome(input, false, false, "could not connect: " + e);
        }
    }

    /** The server may close (and reset) before all is written: that is an answer too. */
    private static void writeQuietly(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // closed by the server; the read below sees it
        }
    }

    private interface Sink {
        void accept(byte[] bytes);
    }

    /** Reads until the server closes (end of stream or reset); false when it is still open at the timeout. */
    private static boolean readUntilClosed(InputStream in, Sink sink) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        } finally {
            sink.accept(all.toByteArray());
        }
    }

    private static List<Frame> delimitedFrames(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            for (Frame frame = Frame.parseDelimitedFrom(in); frame != null; frame = Frame.parseDelimitedFrom(in)) {
                frames.add(frame);
            }
        } catch (IOException e) {
            // a reset cut the last frame short
        }
        return frames;
    }
}
