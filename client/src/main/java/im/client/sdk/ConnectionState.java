package im.client.sdk;

/** Where the client's connection stands; reported through {@link ImClient.Listener#onConnectionState}. */
public enum ConnectionState {
    /** {@link ImClient#connect()} was called and its Hello is not answered yet. */
    CONNECTING,
    /** A session is open: Hello was answered. */
    CONNECTED,
    /**
     * The session was lost unexpectedly; the client is reconnecting with backoff. Sends wait in
     * the outbox meanwhile.
     */
    RECONNECTING,
    /** No connection and none coming: never connected, closed, or stopped for good. */
    DISCONNECTED
}
