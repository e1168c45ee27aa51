package im.checker.scenario;

import im.protocol.client.SendAck;

/** One send the scenario made, and how it ended. */
final class SendRecord {
    final int index;
    final SimDevice device;
    final String conversationId;
    final String clientMsgId;
    /** Position among this device's sends in this conversation, from 0, in the order they were made. */
    final int orderInConversation;
    private volatile SendAck ack;
    private volatile Throwable failure;
    private volatile boolean done;

    SendRecord(int index, SimDevice device, String conversationId, String clientMsgId, int orderInConversation) {
        this.index = index;
        this.device = device;
        this.conversationId = conversationId;
        this.clientMsgId = clientMsgId;
        this.orderInConversation = orderInConversation;
    }

    void complete(SendAck ack, Throwable failure) {
        this.ack = ack;
        this.failure = failure;
        this.done = true;
    }

    boolean done() {
        return done;
    }

    SendAck ack() {
        return ack;
    }

    Throwable failure() {
        return failure;
    }
}
