package im.client.sdk;

/** How far one of the user's own messages has come, from the receipts this client has seen. */
public enum MessageStatus {
    /** Stored by the server (SendAck), not known to be on any peer's device yet. */
    SENT,
    /** Some other member's device holds it (a DeliveryReceipt covers its seq). */
    DELIVERED,
    /** Some other member has read it (a ReadReceipt covers its seq). */
    READ
}
