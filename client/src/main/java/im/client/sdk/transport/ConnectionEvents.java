package im.client.sdk.transport;

import im.protocol.client.Frame;
import io.netty.channel.Channel;

/** What a client connection reports to its owner; all calls arrive on the channel's event loop. */
public interface ConnectionEvents {

    /** The transport is ready for the first frame (TCP connected, or WebSocket handshake done). */
    void onOpen(Channel channel);

    void onFrame(Frame frame);

    /** The connection is gone; {@code cause} is the failure that closed it, or null for a plain close. */
    void onClosed(Throwable cause);
}
