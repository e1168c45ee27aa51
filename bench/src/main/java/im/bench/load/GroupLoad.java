package im.bench.load;

import im.client.sdk.ClientMsgIds;
import im.protocol.client.ConversationCursor;
import im.protocol.client.DeliverAck;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.Send;
import im.protocol.client.SyncPage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The online members of one group, one device each: any of them sends to the group, every other
 * one answers each Deliver with a DeliverAck, as the SDK does. Each message is followed until the
 * last online member other than its sender holds it, so that two latencies come out of one run:
 * from the send to each member's Deliver, and from the send to the last member's.
 *
 * <p>Timing is from the message's intended send time (the body carries it, see {@link Payloads}),
 * and only messages intended inside the window set by {@link #window} count: the fan-out of a
 * message sent at the end of the window is waited for, not cut off. The per-copy counters of
 * {@link LoadMetrics} (delivered, the per-second one-way line) count every copy as it arrives, so
 * that CPU per copy is read over the same seconds as the copies.
 *
 * <p>State of a member lives on its connection's event loop; the followed messages are shared
 * between loops (one map, one counter per message).
 */
public final class GroupLoad implements Conn.Listener {

    private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final long groupId;
    private final String conversationId;
    private final LoadMetrics metrics;
    private final int payloadBytes;
    /** By device id, filled before any connection exists and never changed: read from any loop. */
    private final Map<String, Member> members = new HashMap<>();
    private final Map<String, Fanout> open = new ConcurrentHashMap<>();
    private final Recorder toEach = new Recorder(MAX_NANOS, 3);
    private final Recorder toLast = new Recorder(MAX_NANOS, 3);
    /** Deliveries of a message not followed here (another group's, or one that was given up). */
    public final LongAdder unexpected = new LongAdder();
    /** Messages whose first copy on a device came as a retransmission (attempt > 0). */
    public final LongAdder firstSeenRetransmitted = new LongAdder();
    private volatile long windowFrom = Long.MAX_VALUE;
    private volatile long windowTo = Long.MAX_VALUE;
    private volatile boolean stopped;
    private List<Conn> conns = List.of();

    /** One follower of the group's traffic for each identity; connect them with this as their listener. */
    public GroupLoad(long groupId, String conversationId, List<Identity> online, LoadMetrics metrics,
            int payloadBytes) {
        if (online.size() < 2) {
            throw new IllegalArgumentException("a fan-out needs at least two online members");
        }
        this.groupId = groupId;
        this.conversationId = conversationId;
        this.metrics = metrics;
        this.payloadBytes = payloadBytes;
        for (Identity identity : online) {
            if (members.put(identity.deviceId(), new Member()) != null) {
                throw new IllegalArgumentException("device ids must differ: " + identity.deviceId());
            }
        }
    }

    /** The connected members, in the order senders are numbered. */
    public void connected(List<Conn> connected) {
        this.conns = List.copyOf(connected);
    }

    public int size() {
        return conns.size();
    }

    /** Copies each message should reach: every online member's device but the sender's. */
    public int copiesPerMessage() {
        return conns.size() - 1;
    }

    /**
     * Members that have not yet taken the group's history the server paged to them after HelloOk
     * (they ack each page; live Delivers follow).
     */
    public int catchingUp() {
        int behind = 0;
        for (Conn conn : conns) {
            long target = 0;
            for (ConversationCursor cursor : conn.helloOk().getBehindList()) {
                if (cursor.getConversationId().equals(conversationId)) {
                    target = cursor.getLastSeq();
                }
            }
            if (member(conn).lastSeq < target) {
                behind++;
            }
        }
        return behind;
    }

    /** Messages intended in [from, to) go into the fan-out histograms; to is open until set. */
    public void windowFrom(long fromNanos) {
        windowFrom = fromNanos;
        toEach.reset();
        toLast.reset();
    }

    public void windowTo(long toNanos) {
        windowTo = toNanos;
    }

    /** Messages of the window that have not reached every member yet. */
    public int openInWindow() {
        int count = 0;
        for (Fanout fanout : open.values()) {
            if (inWindow(fanout.intendedNanos)) {
                count++;
            }
        }
        return count;
    }

    /** Copies the open messages of the window still miss. */
    public long missingCopiesInWindow() {
        long missing = 0;
        for (Fanout fanout : open.values()) {
            if (inWindow(fanout.intendedNanos)) {
                missing += fanout.remaining.get();
            }
        }
        return missing;
    }

    /** From a message's intended send to each member's first Deliver of it, window messages only. */
    public Histogram toEach() {
        return toEach.getIntervalHistogram();
    }

    /** From a message's intended send to the last member's first Deliver of it, window messages only. */
    public Histogram toLast() {
        return toLast.getIntervalHistogram();
    }

    /** Member {@code sender} sends one message to the group now, timed from {@code intendedNanos}. */
    public void sendAt(int sender, long intendedNanos) {
        Conn conn = conns.get(sender);
        conn.execute(() -> {
            if (stopped || !conn.channel().isActive()) {
                return;
            }
            Member member = member(conn);
            long requestId = 2 + member.sent++;
            String clientMsgId = ClientMsgIds.next();
            long now = System.nanoTime();
            open.put(clientMsgId, new Fanout(intendedNanos, now, requestId, sender, copiesPerMessage()));
            conn.writeAndFlush(Frame.newBuilder().setRequestId(requestId).setSend(Send.newBuilder()
                    .setClientMsgId(clientMsgId).setGroupId(groupId)
                    .setBody(Payloads.body(intendedNanos, now, payloadBytes))).build());
            metrics.sent.increment();
        });
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void onFrame(Conn conn, Frame frame) {
        switch (frame.getBodyCase()) {
            case DELIVER -> onDeliver(conn, frame.getDeliver().getMessage(), frame.getDeliver().getAttempt());
            case SYNC_PAGE -> onSyncPage(conn, frame.getSyncPage());
            case SEND_ACK -> {
                metrics.acked.increment();
                Fanout fanout = open.get(frame.getSendAck().getClientMsgId());
                if (fanout != null) {
                    metrics.sendAck(System.nanoTime() - fanout.sentNanos);
                }
            }
            case ERROR -> {
                metrics.error(frame.getError().getCode().name(), frame.getError().getMessage());
                // A refused send reaches nobody: stop following it (errors are rare, a scan finds it).
                int sender = conns.indexOf(conn);
                long requestId = frame.getRequestId();
                open.values().removeIf(f -> f.sender == sender && f.requestId == requestId);
            }
            default -> { }
        }
    }

    private void onSyncPage(Conn conn, SyncPage page) {
        if (page.getMessagesCount() == 0) {
            return;
        }
        Message last = page.getMessages(page.getMessagesCount() - 1);
        ack(conn, last);
        Member member = member(conn);
        member.lastSeq = Math.max(member.lastSeq, last.getSeq());
    }

    private void onDeliver(Conn conn, Message message, int attempt) {
        long now = System.nanoTime();
        ack(conn, message);
        Member member = member(conn);
        // A conversation's messages reach a device in seq order: a seq not above the last one held
        // is a repeat (a retransmission the device no longer needed).
        if (!message.getConversationId().equals(conversationId) || message.getSeq() <= member.lastSeq) {
            metrics.redelivered.increment();
            return;
        }
        member.lastSeq = message.getSeq();
        if (message.hasGroupEvent()) {
            return;
        }
        if (attempt > 0) {
            firstSeenRetransmitted.increment();
        }
        long intended = Payloads.intendedNanos(message.getBody());
        metrics.delivered.increment();
        metrics.oneWay(now - intended, now - Payloads.sentNanos(message.getBody()));
        Fanout fanout = open.get(message.getClientMsgId());
        if (fanout == null) {
            unexpected.increment();
            return;
        }
        boolean counted = inWindow(intended);
        if (counted) {
            toEach.recordValue(clamp(now - intended));
        }
        if (fanout.remaining.decrementAndGet() == 0) {
            open.remove(message.getClientMsgId());
            if (counted) {
                toLast.recordValue(clamp(now - intended));
            }
        }
    }

    private void ack(Conn conn, Message message) {
        conn.writeAndFlush(Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                .setConversationId(message.getConversationId()).setSeq(message.getSeq())
                .setMsgId(message.getMsgId())).build());
    }

    private boolean inWindow(long intendedNanos) {
        return intendedNanos >= windowFrom && intendedNanos < windowTo;
    }

    private Member member(Conn conn) {
        return members.get(conn.identity().deviceId());
    }

    private static long clamp(long nanos) {
        return Math.max(1, Math.min(nanos, MAX_NANOS));
    }

    /** One member's device: touched only on its connection's event loop (lastSeq read from others). */
    private static final class Member {
        volatile long lastSeq;
        long sent;
    }

    /** A message followed until every other online member holds it. */
    private static final class Fanout {
        final long intendedNanos;
        final long sentNanos;
        final long requestId;
        final int sender;
        final AtomicInteger remaining;

        Fanout(long intendedNanos, long sentNanos, long requestId, int sender, int copies) {
            this.intendedNanos = intendedNanos;
            this.sentNanos = sentNanos;
            this.requestId = requestId;
            this.sender = sender;
            this.remaining = new AtomicInteger(copies);
        }
    }
}
