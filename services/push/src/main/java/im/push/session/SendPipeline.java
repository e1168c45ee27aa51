package im.push.session;

import im.protocol.client.Frame;
import java.util.ArrayDeque;

/**
 * One session's sends on their way to the router: up to {@code maxInFlight} at a time, handed to
 * the router in the order the device sent them, the rest waiting (bounded) behind them.
 *
 * <p>Why several at a time: the router stores the sends that reach it while a commit is running in
 * the next one, so a device's burst (a reconnecting SDK writes its whole outbox at once) is stored
 * a few commits apart instead of one commit per send, and the commit's log pages are shared by more
 * messages.
 *
 * <p>Until the session's first send is answered, its sends go one at a time: the router checks a
 * token it has not met before, and fetches what it does not hold, on its worker pool, where sends
 * would overtake each other (and be parked, below) and a whole node's reconnecting devices would
 * fill the pool's queue at once.
 *
 * <p>Order: the router takes a device's numbered sends only in number order. Sends handed to it in
 * order usually reach its store in order, but not always (one send's checks may have to fetch
 * something while the next one's do not, or a gRPC hop reorders them). A send refused as out of
 * order while a send before it is still unanswered is therefore parked, not answered, and handed
 * to the router again once every send before it is answered; only then is OUT_OF_ORDER the
 * device's answer.
 *
 * <p>Any thread may call it: frames arrive on the event loop, answers on the router's threads.
 * Started sends go to the router through one submitter at a time ({@link #claimSubmission}), so
 * they leave in the order they were started.
 */
final class SendPipeline {

    /** One send of the device. */
    static final class Slot {
        private final Frame frame;
        private boolean answered;
        private boolean parked;

        private Slot(Frame frame) {
            this.frame = frame;
        }

        Frame frame() {
            return frame;
        }
    }

    private final int maxInFlight;
    private final int maxQueued;
    // Started and not yet answered (parked ones included), in the device's order; the first is
    // always unanswered.
    private final ArrayDeque<Slot> started = new ArrayDeque<>();
    private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
    // Started (or unparked) and not yet handed to the router.
    private final ArrayDeque<Slot> toSubmit = new ArrayDeque<>();
    private boolean submitting;
    private boolean dropped;
    private boolean anyAnswered;

    SendPipeline(int maxInFlight, int maxQueued) {
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
    }

    /** Takes a send; false when {@code maxQueued} sends are started or waiting already. */
    synchronized boolean offer(Frame send) {
        if (dropped || started.size() + waiting.size() >= maxQueued) {
            return false;
        }
        Slot slot = new Slot(send);
        if (waiting.isEmpty() && started.size() < limit()) {
            start(slot);
        } else {
            waiting.addLast(slot);
        }
        return true;
    }

    /**
     * The router refused the slot's send as out of order. True when a send before it is still
     * unanswered: the slot is parked (the device hears nothing yet) and submitted again once all
     * before it are answered. False when the refusal is the device's answer.
     */
    synchronized boolean parkBehindEarlier(Slot slot) {
        if (dropped || started.peekFirst() == slot || !started.contains(slot)) {
            return false;
        }
        slot.parked = true;
        return true;
    }

    /** The slot's answer was written to the device: later sends may start. */
    synchronized void answered(Slot slot) {
        slot.answered = true;
        anyAnswered = true;
        while (!started.isEmpty() && started.peekFirst().answered) {
            started.pollFirst();
        }
        Slot first = started.peekFirst();
        if (first != null && first.parked) {
            first.parked = false;
            toSubmit.addLast(first);
        }
        while (!waiting.isEmpty() && started.size() < limit()) {
            start(waiting.pollFirst());
        }
    }

    /**
     * True when sends wait to be handed to the router and no thread is handing them over: the
     * caller then calls {@link #nextToSubmit} until it answers null.
     */
    synchronized boolean claimSubmission() {
        if (submitting || toSubmit.isEmpty()) {
            return false;
        }
        submitting = true;
        return true;
    }

    /** The next send for the claiming thread, or null, which ends its claim. */
    synchronized Slot nextToSubmit() {
        Slot next = dropped ? null : toSubmit.pollFirst();
        if (next == null) {
            submitting = false;
        }
        return next;
    }

    /** The connection is gone: every send not yet answered is forgotten (the device resends them). */
    synchronized void drop() {
        dropped = true;
        started.clear();
        waiting.clear();
        toSubmit.clear();
    }

    private int limit() {
        return anyAnswered ? maxInFlight : 1;
    }

    private void start(Slot slot) {
        started.addLast(slot);
        toSubmit.addLast(slot);
    }
}
