package im.bench.scenario;

import im.bench.load.Conn;
import im.bench.load.Identity;
import im.bench.load.LoadClient;
import im.bench.load.LoadMetrics;
import im.bench.load.PairedLoad;
import im.bench.server.Target;
import im.protocol.client.DeliverAck;
import im.protocol.client.Frame;
import im.protocol.client.Message;
import im.protocol.client.SyncPage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * (d) offline catch-up: one user sends {@code messages} to a friend whose device is offline;
 * the device then connects and takes the server-paged SyncPages (acking each page) until it holds
 * them all, twice (the first warms the server up). Measured: wall time, pages, and the server's
 * CPU time for the second catch-up.
 */
public final class CatchupScenario implements Scenario {

    /** Sends in flight while filling the mailbox: well under the edge's 128 per connection. */
    private static final int FILL_WINDOW = 64;

    private final int messages;
    private final int payloadBytes;

    public CatchupScenario(int messages, int payloadBytes) {
        if (messages < 1 || messages > 1_000_000) {
            throw new IllegalArgumentException("messages must be 1..1000000, got " + messages);
        }
        this.messages = messages;
        this.payloadBytes = payloadBytes;
    }

    @Override
    public String name() {
        return "catchup";
    }

    @Override
    public String description() {
        return String.format("a device that missed %,d messages (%d-byte payload) connects and syncs them",
                messages, payloadBytes);
    }

    @Override
    public boolean supports(Target target) {
        return target.stores();
    }

    @Override
    public RunResult run(Target target, Progress progress) throws Exception {
        RunResult result = new RunResult(name(), target.name());
        try (LoadClient client = new LoadClient(1)) {
            // A fresh server runs its sync path cold (interpreted, then compiled) on the first
            // catch-up; that one warms up, the second one, of other users, is measured.
            progress.line(String.format("[%s %s] warm-up catch-up", name(), target.name()));
            catchUp(target, client, progress);
            CatchUpFigures measured = catchUp(target, client, progress);
            result.figure("messages synced", measured.received(), "", true);
            result.figure("pages", measured.pages(), "", false);
            result.figure("catch-up wall time", measured.wallNanos() / 1e6, "ms", false);
            result.figure("server CPU for catch-up", measured.cpuSeconds() * 1e3, "ms", false);
            result.figure("synced msgs/s", measured.received() / (measured.wallNanos() / 1e9), "msg/s", true);
            result.figure("server RSS", target.rssBytes() / 1048576.0, "MiB", false);
        }
        return result;
    }

    private record CatchUpFigures(int received, int pages, long wallNanos, double cpuSeconds) {
    }

    /** Two fresh users: one fills the other's mailbox, then the other's device connects and syncs. */
    private CatchUpFigures catchUp(Target target, LoadClient client, Progress progress) throws Exception {
        List<Identity> identities = target.identities(2, 1, true);
        Conn sender = client.connect(target.tcp(0), null, identities.get(0)).get(60, TimeUnit.SECONDS);
        LoadMetrics metrics = new LoadMetrics();
        PairedLoad fill = PairedLoad.toOfflineUser(sender, identities.get(1).userId(), metrics, payloadBytes,
                FILL_WINDOW);
        fill.startClosedLoop(messages);
        long lastPrint = System.nanoTime();
        while (fill.completed(0) < messages) {
            TimeUnit.MILLISECONDS.sleep(50);
            if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(1)) {
                lastPrint = System.nanoTime();
                progress.line(String.format("[%s %s] filling the mailbox: %,d/%,d stored, errors %,d", name(),
                        target.name(), fill.completed(0), messages, metrics.errors.sum()));
            }
            if (metrics.errors.sum() > 0) {
                throw new IllegalStateException("sends refused while filling the mailbox: " + metrics.errorSummary());
            }
            if (!sender.channel().isActive()) {
                throw new IllegalStateException("sender disconnected while filling the mailbox");
            }
        }
        fill.stop();
        progress.line(String.format("[%s %s] %,d messages stored; the offline device connects", name(),
                target.name(), messages));

        Pager pager = new Pager(messages);
        double cpu0 = target.cpuSeconds();
        long start = System.nanoTime();
        Conn device = client.connect(target.tcp(1), null, identities.get(1), pager).get(60, TimeUnit.SECONDS);
        pager.helloOk = System.nanoTime();
        pager.done.get(120, TimeUnit.SECONDS);
        long end = System.nanoTime();
        double cpu = target.cpuSeconds() - cpu0;
        device.close();
        sender.close();
        return new CatchUpFigures(pager.received, pager.pages, end - start, cpu);
    }

    /** The offline device's side: count pages, ack each one, finish when every message arrived. */
    private static final class Pager implements Conn.Listener {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final int expected;
        volatile long helloOk;
        int received;
        int pages;

        Pager(int expected) {
            this.expected = expected;
        }

        @Override
        public void onFrame(Conn conn, Frame frame) {
            if (frame.hasSyncPage()) {
                SyncPage page = frame.getSyncPage();
                pages++;
                received += page.getMessagesCount();
                if (page.getMessagesCount() > 0) {
                    Message last = page.getMessages(page.getMessagesCount() - 1);
                    conn.writeAndFlush(Frame.newBuilder().setDeliverAck(DeliverAck.newBuilder()
                            .setConversationId(page.getConversationId()).setSeq(last.getSeq())
                            .setMsgId(last.getMsgId())).build());
                }
                if (received >= expected || (!page.getHasMore() && page.getMessagesCount() == 0 && received > 0)) {
                    done.complete(null);
                }
            } else if (frame.hasError()) {
                done.completeExceptionally(new IllegalStateException("error during catch-up: "
                        + frame.getError().getCode() + " " + frame.getError().getMessage()));
            }
        }

        @Override
        public void onClosed(Conn conn) {
            done.completeExceptionally(new IllegalStateException("device disconnected during catch-up"));
        }
    }
}
