package im.client.sdk;

/**
 * A send was refused at once because the outbox already holds as many unacknowledged sends as it
 * may (see {@link ImClient.Builder#maxOutbox}). Nothing was sent; try again once earlier sends
 * were acknowledged (typically after the connection is back).
 */
public final class OutboxFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutboxFullException(int capacity) {
        super("outbox full: " + capacity + " sends are waiting for their acknowledgement");
    }
}
