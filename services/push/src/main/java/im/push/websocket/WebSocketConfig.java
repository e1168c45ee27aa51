package im.push.websocket;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The WebSocket listener (browsers: one binary message = one Frame). */
@ConfigMapping(prefix = "im.push.websocket")
public interface WebSocketConfig {

    /** The port clients are told in docs/architecture.md. */
    @WithDefault("7001")
    int port();

    /** All interfaces: the listener is the public edge. */
    @WithDefault("0.0.0.0")
    String host();

    /** The upgrade path; every other path is answered 404. */
    @WithDefault("/ws")
    String path();

    /** Event-loop threads; 0 means Netty's default (twice the cores). */
    @WithDefault("0")
    int ioThreads();

    /** Accept queue: absorbs a reconnect storm after a node restart. */
    @WithDefault("1024")
    int backlog();

    /**
     * Largest HTTP request accepted before the upgrade. The upgrade request has no body; 8 KiB
     * holds its headers (cookies included) and refuses anything else cheaply.
     */
    @WithDefault("8192")
    int maxHttpRequestBytes();

    /** A client that opens TCP but does not finish the upgrade by then is closed. */
    @WithDefault("10s")
    Duration handshakeTimeout();
}
