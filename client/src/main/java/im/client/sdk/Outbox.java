package im.client.sdk;

import im.protocol.client.Send;
import im.protocol.client.SendAck;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Sends not yet acknowledged, in the order the application made them, and this device's numbering
 * of its sends per conversation (clientSeq 1, 2, 3, ...).
 *
 * <p>An entry leaves only with its SendAck (whichever attempt got it), a final refusal, or when the
 * client stops for good; so every send is written again on every new session until it is stored.
 * A conversation is keyed by its target ({@code u:<userId>} / {@code g:<groupId>}): that is known
 * before the first Hello, and maps one to one to the conversation id.
 *
 * <p>Thread-safe; the client writes entries on its event loop only, so wire order is outbox order.
 */
final class Outbox {

    /** One send and its current attempt. */
    static final class Entry {
        final String key;
        final Send send;
        final CompletableFuture<SendAck> result = new CompletableFuture<>();
        /** A resend of an already acknowledged clientMsgId: it keeps its original number. */
        final boolean repeat;
        long clientSeq;
        /** The connection the current attempt went out on; null while it still has to be written. */
        Object sentOn;
        long requestId;
        int failures;
        int renumbered;
        long notBeforeNanos;

        Entry(String key, Send send, boolean repeat, long clientSeq) {
            this.key = key;
            this.send = send;
            this.repeat = repeat;
            this.clientSeq = clientSeq;
        }
    }

    private final int capacity;
    private final boolean numbering;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private final Map<Long, Entry> byRequest = new HashMap<>();
    /** Next clientSeq per conversation key; bounded, a forgotten key is healed by OUT_OF_ORDER. */
    private final Map<String, Long> nextSeq;
    /** clientSeq of recently acknowledged sends, so a repeat of one does not take a new number. */
    private final Map<String, Long> ackedSeqs;

    Outbox(int capacity, boolean numbering, int maxConversations) {
        this.capacity = capacity;
        this.numbering = numbering;
        this.nextSeq = lru(maxConversations);
        this.ackedSeqs = lru(Math.max(capacity, 1024));
    }

    /**
     * Takes a send; a clientMsgId already waiting answers with the waiting entry.
     *
     * @throws OutboxFullException when {@code capacity} sends are waiting
     */
    synchronized Entry add(Send send) {
        Entry waiting = entries.get(send.getClientMsgId());
        if (waiting != null) {
            return waiting;
        }
        if (entries.size() >= capacity) {
            throw new OutboxFullException(capacity);
        }
        String key = keyOf(send);
        Entry e;
        Long ackedSeq = ackedSeqs.get(send.getClientMsgId());
        if (!numbering) {
            e = new Entry(key, send, false, send.getClientSeq());
        } else if (ackedSeq != null) {
            e = new Entry(key, send, true, ackedSeq);
        } else {
            long seq = nextSeq.getOrDefault(key, 1L);
            nextSeq.put(key, seq + 1);
            e = new Entry(key, send, false, seq);
        }
        entries.put(send.getClientMsgId(), e);
        return e;
    }

    /** The Send as it goes on the wire for the entry's current number. */
    Send frameBody(Entry e) {
        return numbering ? e.send.toBuilder().setClientSeq(e.clientSeq).build() : e.send;
    }

    /**
     * The entries to write on {@code connection} now, in order, each given a new request id. An
     * entry waiting out a retry delay holds back the later entries of its conversation, so the
     * server never sees them overtake it.
     */
    synchronized List<Entry> toWrite(Object connection, long nowNanos, LongSupplier requestIds) {
        List<Entry> out = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        for (Entry e : entries.values()) {
            if (blocked.contains(e.key)) {
                continue;
            }
            if (e.notBeforeNanos - nowNanos > 0) {
                blocked.add(e.key);
                continue;
            }
            if (e.sentOn != connection) {
                byRequest.remove(e.requestId);
                e.requestId = requestIds.getAsLong();
                e.sentOn = connection;
                byRequest.put(e.requestId, e);
                out.add(e);
            }
        }
        return out;
    }

    /** The entry whose current attempt is {@code requestId}; null for older attempts and acked ones. */
    synchronized Entry current(long requestId) {
        return byRequest.get(requestId);
    }

    /** Removes the entry the ack is for (matched by clientMsgId: any attempt counts); null if none. */
    synchronized Entry acked(SendAck ack) {
        Entry e = entries.remove(ack.getClientMsgId());
        if (e != null) {
            byRequest.remove(e.requestId);
            if (numbering) {
                ackedSeqs.put(ack.getClientMsgId(), e.clientSeq);
            }
        }
        return e;
    }

    /**
     * The server expects {@code expected} next in the entry's conversation: numbers that
     * conversation's unacknowledged sends from there, in their original order, and marks them to
     * be written again. Whether the server is ahead (the app restarted and counts from 1 again) or
     * behind (an earlier number was refused and never stored), this is the order it will take.
     */
    synchronized void renumberFrom(Entry from, long expected) {
        long seq = expected;
        for (Entry e : entries.values()) {
            if (e.key.equals(from.key) && !e.repeat) {
                e.clientSeq = seq++;
                e.sentOn = null;
            }
        }
        nextSeq.put(from.key, seq);
    }

    /** Writes the entry again not before {@code notBeforeNanos} (System.nanoTime based). */
    synchronized void retryAt(Entry e, long notBeforeNanos) {
        e.failures++;
        deferTo(e, notBeforeNanos);
    }

    /** Writes the entry again not before then, without counting a failure (the server asked to wait). */
    synchronized void deferTo(Entry e, long notBeforeNanos) {
        e.sentOn = null;
        e.notBeforeNanos = notBeforeNanos;
    }

    /** Takes the entry out for good (its future is failed by the caller). */
    synchronized boolean remove(Entry e) {
        if (entries.get(e.send.getClientMsgId()) != e) {
            return false;
        }
        entries.remove(e.send.getClientMsgId());
        byRequest.remove(e.requestId);
        return true;
    }

    /** Empties the outbox; the caller fails the returned entries' futures. */
    synchronized List<Entry> drain() {
        List<Entry> all = new ArrayList<>(entries.values());
        entries.clear();
        byRequest.clear();
        return all;
    }

    synchronized int size() {
        return entries.size();
    }

    static String keyOf(Send send) {
        return switch (send.getTargetCase()) {
            case TO_USER_ID -> "u:" + send.getToUserId();
            case GROUP_ID -> "g:" + send.getGroupId();
            default -> "-";
        };
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }
}
