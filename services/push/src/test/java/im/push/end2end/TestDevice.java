package im.push.end2end;

import static org.awaitility.Awaitility.await;

import im.protocol.client.ConversationCursor;
import im.protocol.client.Frame;
import im.protocol.client.Hello;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A device connected to the push node over a real socket: what a client SDK does, reduced to
 * "write a frame" and "the frames that arrived". Frames are kept until a test takes them, so
 * an unsolicited frame never hides the answer a test waits for.
 */
abstract class TestDevice implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Frame> received = new ArrayList<>();
    private volatile boolean closed;

    abstract void send(Frame frame) throws Exception;

    final synchronized void arrived(Frame frame) {
        received.add(frame);
    }

    final void closedByServer() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    void awaitClosed() {
        await().atMost(WAIT).until(this::isClosed);
    }

    /** Takes the first frame that matches, waiting for it. */
    Frame take(Predicate<Frame> wanted) {
        Frame[] found = new Frame[1];
        await().atMost(WAIT).until(() -> (found[0] = takeNow(wanted)) != null);
        return found[0];
    }

    Frame take(Frame.BodyCase body) {
        return take(frame -> frame.getBodyCase() == body);
    }

    Frame answerTo(long requestId) {
        return take(frame -> frame.getRequestId() == requestId);
    }

    synchronized List<Frame> receivedSoFar(Frame.BodyCase body) {
        List<Frame> frames = new ArrayList<>();
        for (Frame frame : received) {
            if (frame.getBodyCase() == body) {
                frames.add(frame);
            }
        }
        return frames;
    }

    private synchronized Frame takeNow(Predicate<Frame> wanted) {
        for (Iterator<Frame> it = received.iterator(); it.hasNext(); ) {
            Frame frame = it.next();
            if (wanted.test(frame)) {
                it.remove();
                return frame;
            }
        }
        return null;
    }

    /** Hello and its answer (HelloOk or Error). */
    Frame hello(long requestId, String token, String deviceId, ConversationCursor... cursors) throws Exception {
        send(Frame.newBuilder().setRequestId(requestId)
                .setHello(Hello.newBuilder().setAccessToken(token).setDeviceId(deviceId).addAllCursors(List.of(cursors)))
                .build());
        return answerTo(requestId);
    }
}
