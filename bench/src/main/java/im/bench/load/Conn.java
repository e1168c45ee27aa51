package im.bench.load;

import im.protocol.client.Frame;
import im.protocol.client.HelloOk;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * One logged-in load connection. Every callback of its listener runs on its channel's event
 * loop, so a scenario keeps per-connection state without locks as long as it touches that state
 * only from {@link #execute}.
 */
public final class Conn {

    /** What a scenario does with the frames a connection receives (after HelloOk). */
    public interface Listener {
        void onFrame(Conn conn, Frame frame);

        default void onClosed(Conn conn) {
        }
    }

    private static final Listener IGNORE = (conn, frame) -> { };

    private final Identity identity;
    private final Channel channel;
    private volatile Listener listener = IGNORE;
    private volatile HelloOk helloOk;
    /** Free for the scenario: the index of this connection in its run. */
    private int index;

    Conn(Identity identity, Channel channel) {
        this.identity = identity;
        this.channel = channel;
    }

    public Identity identity() {
        return identity;
    }

    public Channel channel() {
        return channel;
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public HelloOk helloOk() {
        return helloOk;
    }

    void helloOk(HelloOk ok) {
        this.helloOk = ok;
    }

    public int index() {
        return index;
    }

    public void index(int index) {
        this.index = index;
    }

    public void listener(Listener listener) {
        this.listener = listener;
    }

    Listener listener() {
        return listener;
    }

    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** Writes without flushing; the caller flushes once per batch. */
    public void write(Frame frame) {
        channel.write(frame, channel.voidPromise());
    }

    public void writeAndFlush(Frame frame) {
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    public void flush() {
        channel.flush();
    }

    public void close() {
        channel.close();
    }
}
