package im.bench.load;

import im.client.sdk.ClientMsgIds;
import im.protocol.client.DeliverAck;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.Send;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Connections in pairs (0-1, 2-3, ...), each sending to its partner. A message is complete when
 * its SendAck reached the sender and its Deliver reached the receiver (which answers it with the
 * app-level DeliverAck): the closed loop keeps at most {@code window} incomplete messages per
 * sender; the open loop sends on a schedule whatever is incomplete.
 *
 * <p>All state of a sender lives on its connection's event loop.
 */
public final class PairedLoad {

    private final List<Conn> conns;
    private final Sender[] senders;
    private final LoadMetrics metrics;
    private final int payloadBytes;
    private final int window;
    private final boolean requireDelivery;
    private volatile boolean stopped;

    /**
     * @param window unacked messages per sender in the closed loop; 0 for an open loop (sends come
     *     from {@link #sendAt})
     * @param requireDelivery false when the receiver is offline (catch-up): the SendAck completes
     */
    public PairedLoad(List<Conn> conns, LoadMetrics metrics, int payloadBytes, int window, boolean requireDelivery) {
        this(conns, metrics, payloadBytes, window, requireDelivery, 0);
    }

    /** One connection sending to a user who is not connected here (the offline side of catch-up). */
    public static PairedLoad toOfflineUser(Conn conn, long toUserId, LoadMetrics metrics, int payloadBytes,
            int window) {
        return new PairedLoad(List.of(conn), metrics, payloadBytes, window, false, toUserId);
    }

    private PairedLoad(List<Conn> conns, LoadMetrics metrics, int payloadBytes, int window, boolean requireDelivery,
            long fixedReceiver) {
        this.conns = conns;
        this.metrics = metrics;
        this.payloadBytes = payloadBytes;
        this.window = window;
        this.requireDelivery = requireDelivery;
        this.senders = new Sender[conns.size()];
        for (int i = 0; i < conns.size(); i++) {
            Conn conn = conns.get(i);
            senders[i] = new Sender(conn, fixedReceiver != 0 ? fixedReceiver : partnerOf(i));
            conn.listener(this::onFrame);
        }
    }

    private long partnerOf(int i) {
        int partner = i ^ 1;
        return partner < conns.size() ? conns.get(partner).identity().userId() : conns.get(i).identity().userId();
    }

    /** Closed loop: every sender fills its window; at most {@code limit} messages each (0: no limit). */
    public void startClosedLoop(long limit) {
        for (Sender sender : senders) {
            sender.limit = limit;
            sender.conn.execute(sender::fill);
        }
    }

    /** Open loop: connection {@code index} sends one message now, timed from {@code intendedNanos}. */
    public void sendAt(int index, long intendedNanos) {
        Sender sender = senders[index];
        sender.conn.execute(() -> {
            if (!stopped) {
                sender.send(intendedNanos);
                sender.conn.flush();
            }
        });
    }

    public int size() {
        return senders.length;
    }

    public void stop() {
        stopped = true;
    }

    /** Messages completed by sender {@code index} (read from any thread: approximate). */
    public long completed(int index) {
        return senders[index].completed;
    }

    private void onFrame(Conn conn, Frame frame) {
        switch (frame.getBodyCase()) {
            case SEND_ACK -> {
                metrics.acked.increment();
                senders[conn.index()].onSendAck(frame.getSendAck().getClientMsgId());
            }
            case DELIVER -> onDeliver(conn, frame.getDeliver().getMessage(), frame.getDeliver().getAttempt());
            case ERROR -> {
                metrics.error(frame.getError().getCode().name(), frame.getError().getMessage());
                senders[conn.index()].onError(frame.getRequestId());
            }
            default -> { }
        }
    }

    private void onDeliver(Conn receiver, Message message, int attempt) {
        long now = System.nanoTime();
        receiver.writeAndFlush(Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                .setConversationId(message.getConversationId()).setSeq(message.getSeq())
                .setMsgId(message.getMsgId())).build());
        if (attempt > 0) {
            metrics.redelivered.increment();
            return;
        }
        metrics.delivered.increment();
        metrics.oneWay(now - Payloads.intendedNanos(message.getBody()), now - Payloads.sentNanos(message.getBody()));
        int partner = receiver.index() ^ 1;
        if (partner < senders.length) {
            Sender sender = senders[partner];
            String clientMsgId = message.getClientMsgId();
            sender.conn.execute(() -> sender.onDelivered(clientMsgId));
        }
    }

    private final class Sender {
        private final Conn conn;
        private final long to;
        /** client_msg_id -> {send nanos, events seen, request id}; a message completes at two events. */
        private final Map<String, long[]> open = new HashMap<>();
        private long next;
        private long limit;
        private volatile long completed;

        Sender(Conn conn, long to) {
            this.conn = conn;
            this.to = to;
        }

        void fill() {
            boolean wrote = false;
            while (!stopped && open.size() < window && (limit == 0 || next < limit)) {
                send(System.nanoTime());
                wrote = true;
            }
            if (wrote) {
                conn.flush();
            }
        }

        void send(long intendedNanos) {
            long requestId = 2 + next++;
            // The SDK's keys (time-ordered), so the server's index sees what real clients give it.
            String clientMsgId = ClientMsgIds.next();
            long now = System.nanoTime();
            open.put(clientMsgId, new long[] {now, requireDelivery ? 0 : 1, requestId});
            conn.write(Frame.newBuilder().setRequestId(requestId).setSend(Send.newBuilder()
                    .setClientMsgId(clientMsgId).setToUserId(to)
                    .setBody(Payloads.body(intendedNanos, now, payloadBytes))).build());
            metrics.sent.increment();
        }

        void onSendAck(String clientMsgId) {
            long[] state = open.get(clientMsgId);
            if (state != null) {
                metrics.sendAck(System.nanoTime() - state[0]);
                event(clientMsgId, state);
            }
        }

        void onDelivered(String clientMsgId) {
            long[] state = open.get(clientMsgId);
            if (state != null) {
                event(clientMsgId, state);
            }
        }

        void onError(long requestId) {
            // errors are rare and the window small: a scan finds the refused send
            if (open.values().removeIf(state -> state[2] == requestId)) {
                fill();
            }
        }

        private void event(String clientMsgId, long[] state) {
            if (++state[1] >= 2) {
                open.remove(clientMsgId);
                completed++;
                if (window > 0) {
                    fill();
                }
            }
        }
    }
}
