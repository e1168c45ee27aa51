package im.push;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of this push node as a whole, shared by both listeners and the session layer. */
@ConfigMapping(prefix = "im.push")
public interface PushConfig {

    /**
     * Name of this node in presence and in delivery events. Each node of a cluster needs its own
     * (the StatefulSet ordinal); one node is enough for a single process.
     */
    @WithDefault("push-0")
    String nodeId();

    /**
     * Largest client frame accepted, on TCP and WebSocket alike. A message body is at most 16 KiB
     * (router limit) and a Hello with a few thousand cursors stays well under 64 KiB, so this
     * leaves room for the envelope while keeping a malicious length prefix cheap to refuse.
     */
    @WithDefault("65536")
    int maxFrameBytes();

    /**
     * Open connections (and sessions) this node accepts, both listeners together. One connection
     * costs a few KiB of buffers; 100k keeps a 1 GiB heap safe and is far beyond one node's
     * expected share.
     */
    @WithDefault("100000")
    int maxConnections();

    /**
     * How often a silent client pings (told in HelloOk). The server closes a connection that stays
     * silent for three intervals. 30 s keeps NAT mappings alive on mobile networks without
     * draining batteries.
     */
    @WithDefault("30s")
    Duration heartbeatInterval();
}
