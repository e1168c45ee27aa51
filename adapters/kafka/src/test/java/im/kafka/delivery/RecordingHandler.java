package im.kafka.delivery;

import im.common.delivery.DeliveryHandler;
import im.protocol.client.Message;
import im.protocol.delivery.DeliveryEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A push node's handler that remembers what it was handed, in order. */
class RecordingHandler implements DeliveryHandler {

    private final String nodeId;
    private final List<DeliveryEvent> events = new CopyOnWriteArrayList<>();

    RecordingHandler(String nodeId) {
        this.nodeId = nodeId;
    }

    /** An event for the node that carries one message, told apart from others by its msgId. */
    static DeliveryEvent messageFor(String nodeId, long msgId) {
        return DeliveryEvent.newBuilder()
                .setNodeId(nodeId)
                .addUserIds(2)
                .setMessage(Message.newBuilder()
                        .setMsgId(msgId)
                        .setConversationId("p:1:2")
                        .setSeq(msgId)
                        .setSenderId(1))
                .build();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void onDelivery(DeliveryEvent event) {
        events.add(event);
    }

    /** The msgIds of the events handed over so far, in arrival order. */
    List<Long> msgIds() {
        return events.stream().map(event -> event.getMessage().getMsgId()).toList();
    }

    /** The node ids the handed-over events named. */
    List<String> nodeIds() {
        return events.stream().map(DeliveryEvent::getNodeId).distinct().toList();
    }

    void clear() {
        events.clear();
    }
}
