package im.client.sdk;

import im.protocol.client.DeliverAck;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.SyncPage;
import io.netty.channel.Channel;

/**
 * Messages arriving for this device, pushed one by one or in pages: each one not held before is
 * reported to {@code onMessage} once (or settles this device's own send it stands for), and is
 * acknowledged to the server only after {@code onMessage} returned for it. Event loop.
 */
final class Deliveries {

    private final HeldMessages held;
    private final Sender sender;
    private final GapChaser gaps;
    private final Dispatcher dispatcher;
    private final Conversations conversations;

    Deliveries(HeldMessages held, Sender sender, GapChaser gaps, Dispatcher dispatcher, Conversations conversations) {
        this.conversations = conversations;
        this.held = held;
        this.sender = sender;
        this.gaps = gaps;
        this.dispatcher = dispatcher;
    }

    /** A pushed message. */
    void deliver(Connection c, Message m) {
        DeliverAck ack = DeliverAck.newBuilder().setConversationId(m.getConversationId())
                .setSeq(m.getSeq()).setMsgId(m.getMsgId()).build();
        switch (held.hold(m.getConversationId(), m.getSeq())) {
            case NEW -> {
                conversations.message(m);
                if (sender.completesOwnSend(m, m.getConversationId())) {
                    c.channel.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
                } else {
                    dispatcher.toListener(l -> {
                        l.onMessage(m);
                        c.channel.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
                    });
                }
            }
            case DUPLICATE -> c.channel.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
            default -> {
                // NO_ROOM / INVALID: not taken and not acked; sync brings it once the gap is filled.
            }
        }
        gaps.checkLater(c, m.getConversationId());
    }

    /** Any page, asked for or not: its new messages are held and reported. */
    void hold(SyncPage page) {
        // A group member reads from its joining: what lies below is none of this device's to wait for.
        held.readableFrom(page.getConversationId(), page.getFirstSeq());
        for (Message m : page.getMessagesList()) {
            String conversation = conversationOf(page, m);
            if (held.hold(conversation, m.getSeq()) != HeldMessages.Outcome.NEW) {
                continue;
            }
            conversations.message(m.getConversationId().isEmpty() ? m.toBuilder().setConversationId(conversation).build() : m);
            if (!sender.completesOwnSend(m, conversation)) {
                dispatcher.toListener(l -> l.onMessage(m));
            }
        }
    }

    /**
     * A page the server sent on its own after Hello, already held. It sends the next one when this
     * one is acknowledged, so the ack (its last seq) goes once the listener has had the messages; a
     * page the client could not take whole is not acknowledged and comes again.
     */
    void catchUpPage(Connection c, SyncPage page) {
        String conversation = page.getConversationId();
        if (page.getMessagesCount() > 0) {
            Message last = page.getMessages(page.getMessagesCount() - 1);
            boolean all = page.getMessagesList().stream()
                    .allMatch(m -> held.isHeld(conversationOf(page, m), m.getSeq()));
            if (all) {
                DeliverAck ack = DeliverAck.newBuilder().setConversationId(conversation)
                        .setSeq(last.getSeq()).setMsgId(last.getMsgId()).build();
                dispatcher.afterListener(() -> {
                    Channel ch = c.channel;
                    if (ch != null && ch.isActive()) {
                        ch.writeAndFlush(Frame.newBuilder().setDeliverAck(ack).build());
                    }
                });
            }
        }
        gaps.checkLater(c, conversation);
    }

    private static String conversationOf(SyncPage page, Message m) {
        return m.getConversationId().isEmpty() ? page.getConversationId() : m.getConversationId();
    }
}
