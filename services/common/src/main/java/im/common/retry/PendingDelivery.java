package im.common.retry;

import im.protocol.client.Message;

/** A message written to a device and not acknowledged yet, with the attempt that wrote it. */
public record PendingDelivery(Message message, int attempt) {

    public String conversationId() {
        return message.getConversationId();
    }

    public long seq() {
        return message.getSeq();
    }
}
