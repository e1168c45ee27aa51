package im.client.cli;

import im.client.sdk.ConnectionState;
import im.client.sdk.ImClient;
import im.client.sdk.MessageStatus;
import im.client.sdk.ImErrorException;
import im.protocol.client.DeliveryReceipt;
import im.protocol.client.Message;
import im.protocol.client.ReadReceipt;
import im.protocol.client.SendAck;
import im.protocol.client.Typing;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

@Command(name = "chat", description = "Talk with a friend (or in a group with --group): shows recent history, "
        + "then messages as they arrive; every line you type is sent. /quit or end of input leaves.")
final class ChatCommand implements Callable<Integer> {

    /** Events waiting for the main thread; a full queue holds the SDK back (it stops reading). */
    private static final int MAX_QUEUED_EVENTS = 10_000;
    /** Seqs remembered above the contiguous shown range, to drop a message that comes twice. */
    private static final int MAX_SHOWN_ABOVE = 10_000;
    /** Longer than any body the server accepts, so the body check speaks first. */
    private static final int MAX_LINE_CHARS = 64 * 1024;
    /** How often the access token is checked; it is refreshed within 30 s of expiry. */
    private static final long TOKEN_CHECK_SECONDS = 20;

    @ParentCommand
    ImCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "USERNAME")
    String username;

    @Option(names = "--group", paramLabel = "ID", description = "Talk in this group instead (see `im group list`).")
    Long groupId;

    @Option(names = "--recent", paramLabel = "N", defaultValue = "20",
            description = "History lines shown first (0.." + HistoryCommand.MAX_LIMIT + ", default: ${DEFAULT-VALUE}).")
    int recent;

    private sealed interface Event permits Incoming, Typed, EndOfInput, Gone, StateChanged, ReceiptArrived, Acked,
            PeerTyping {
    }

    private record PeerTyping(long userId) implements Event {
    }

    private record StateChanged(ConnectionState state) implements Event {
    }

    private record ReceiptArrived() implements Event {
    }

    private record Acked(SendAck ack) implements Event {
    }

    private record Incoming(Message message) implements Event {
    }

    private record Typed(String line) implements Event {
    }

    private record EndOfInput() implements Event {
    }

    private record Gone(Throwable cause) implements Event {
    }

    @Override
    public Integer call() throws InterruptedException {
        if (recent < 0 || recent > HistoryCommand.MAX_LIMIT) {
            throw new CliException("--recent must be 0.." + HistoryCommand.MAX_LIMIT);
        }
        requireOneTarget(spec, username, groupId);
        PrintStream out = cli.context().out();
        Session session = Session.require(cli);
        ChatTarget target = ChatTarget.of(session, username, groupId, ZoneId.systemDefault());
        String conversation = target.conversation();
        MessageLines lines = target.lines();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>(MAX_QUEUED_EVENTS);

        ImClient.Listener listener = new ImClient.Listener() {
            @Override
            public void onMessage(Message m) {
                if (conversation.equals(m.getConversationId())) {
                    putUninterruptibly(events, new Incoming(m));
                }
            }

            @Override
            public void onConnectionState(ConnectionState state) {
                putUninterruptibly(events, new StateChanged(state));
            }

            @Override
            public void onDeliveryReceipt(DeliveryReceipt receipt) {
                if (conversation.equals(receipt.getConversationId())) {
                    putUninterruptibly(events, new ReceiptArrived());
                }
            }

            @Override
            public void onReadReceipt(ReadReceipt receipt) {
                if (conversation.equals(receipt.getConversationId())) {
                    putUninterruptibly(events, new ReceiptArrived());
                }
            }

            @Override
            public void onTyping(Typing typing) {
                if (typing.getTyping() && conversation.equals(typing.getConversationId())) {
                    putUninterruptibly(events, new PeerTyping(typing.getUserId()));
                }
            }

            @Override
            public void onDisconnected(Throwable cause) {
                if (cause != null) {
                    putUninterruptibly(events, new Gone(cause));
                }
            }
        };

        ScheduledExecutorService tokenKeeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "im-chat-token");
            t.setDaemon(true);
            return t;
        });
        ConcurrentLinkedQueue<CompletableFuture<?>> sends = new ConcurrentLinkedQueue<>();
        AtomicBoolean failed = new AtomicBoolean();
        try (ImClient client = session.connect(listener)) {
            Shown shown = new Shown();
            // Older messages still reach the listener (the server's pages after Hello): history
            // decides where news begins, so they are not shown as if they had just arrived.
            List<Message> history = HistoryCommand.lastMessages(client, conversation, Math.max(1, recent));
            if (!history.isEmpty()) {
                shown.startAfter(history.get(history.size() - 1).getSeq());
            }
            history.subList(Math.max(0, history.size() - recent), history.size())
                    .forEach(m -> out.println(lines.format(m)));
            if (!history.isEmpty()) {
                client.markRead(conversation, history.get(history.size() - 1).getSeq());
            }
            OwnStatus own = new OwnStatus(client, conversation, out);
            TypingNotices typingNotices = new TypingNotices();
            out.println("-- chatting " + target.description() + "; type a message and press Enter, /quit to leave");
            keepTokenFresh(tokenKeeper, session, client);
            startReading(events);

            boolean reconnecting = false;
            while (true) {
                Event event = events.take();
                if (event instanceof Incoming in) {
                    if (shown.add(in.message().getSeq())) {
                        out.println(lines.format(in.message()));
                        client.markRead(conversation, in.message().getSeq());
                    }
                } else if (event instanceof Acked acked) {
                    out.println("-- \u2713 sent (seq " + acked.ack().getSeq() + ")");
                    own.sent(acked.ack().getSeq());
                } else if (event instanceof ReceiptArrived) {
                    own.update();
                } else if (event instanceof PeerTyping typing) {
                    if (typingNotices.due(typing.userId(), System.nanoTime())) {
                        out.println(lines.typing(typing.userId()));
                    }
                } else if (event instanceof StateChanged changed) {
                    if (changed.state() == ConnectionState.RECONNECTING) {
                        out.println("-- reconnecting...");
                        reconnecting = true;
                    } else if (changed.state() == ConnectionState.CONNECTED && reconnecting) {
                        out.println("-- reconnected");
                        reconnecting = false;
                    }
                } else if (event instanceof Typed typed) {
                    String text = typed.line().strip();
                    if (text.equals("/quit")) {
                        break;
                    }
                    if (!text.isEmpty()) {
                        send(client, target, text, out, sends, failed, events);
                    }
                } else if (event instanceof Gone gone) {
                    out.println("-- connection lost: " + ImCli.describe(gone.cause()));
                    return 1;
                } else {
                    break;
                }
            }
            awaitSends(sends);
            return failed.get() ? 1 : 0;
        } finally {
            tokenKeeper.shutdownNow();
        }
    }

    /** A USERNAME or --group, not both: a usage error (exit 2) otherwise. */
    static void requireOneTarget(CommandSpec spec, String username, Long groupId) {
        if ((username == null) == (groupId == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "name a USERNAME or --group ID (one of them)");
        }
    }

    private static void send(ImClient client, ChatTarget target, String text, PrintStream out,
            ConcurrentLinkedQueue<CompletableFuture<?>> sends, AtomicBoolean failed, BlockingQueue<Event> events) {
        String checked;
        try {
            checked = MessageLines.text(text);
        } catch (CliException e) {
            out.println("-- " + e.getMessage());
            failed.set(true);
            return;
        }
        sends.removeIf(CompletableFuture::isDone);
        sends.add(target.send(client, checked).whenComplete((ack, failure) -> {
            if (failure == null) {
                // Printed by the main loop, in order with the receipts that may follow at once.
                events.offer(new Acked(ack));
                return;
            }
            failed.set(true);
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            out.println("-- " + (cause instanceof ImErrorException e
                    ? target.failure(e)
                    : "not sent: " + ImCli.describe(cause) + "; type it again to retry"));
        }));
    }

    /** Sends still in flight at /quit or end of input get their answer before the connection closes. */
    private static void awaitSends(ConcurrentLinkedQueue<CompletableFuture<?>> sends) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception failedOnes) {
            // Each failure was already printed by its own callback.
        }
    }

    private static void keepTokenFresh(ScheduledExecutorService timer, Session session, ImClient client) {
        String[] last = {session.accessToken()};
        timer.scheduleWithFixedDelay(() -> {
            try {
                String token = session.accessToken();
                if (!token.equals(last[0])) {
                    last[0] = token;
                    client.reauthenticate(token);
                }
            } catch (RuntimeException e) {
                // Refresh failed (offline, revoked): the server ends the session and chat says so.
            }
        }, TOKEN_CHECK_SECONDS, TOKEN_CHECK_SECONDS, TimeUnit.SECONDS);
    }

    private void startReading(BlockingQueue<Event> events) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(cli.context().in(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = readLine(in)) != null) {
                    putUninterruptibly(events, new Typed(line));
                }
            } catch (IOException e) {
                // stdin failed: the same as its end.
            }
            putUninterruptibly(events, new EndOfInput());
        }, "im-chat-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    /** One line without its terminator, at most MAX_LINE_CHARS (the rest of a longer line is dropped). */
    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return line.toString();
            }
            if (c != '\r' && line.length() < MAX_LINE_CHARS) {
                line.append((char) c);
            }
        }
        return line.length() == 0 ? null : line.toString();
    }

    private static void putUninterruptibly(BlockingQueue<Event> queue, Event event) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(event);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The user's own messages of this chat not yet read by the peer, and how far each was last
     * shown to be: prints "✓✓ delivered" and "read" as receipts move them. Bounded: the oldest
     * are forgotten first.
     */
    static final class OwnStatus {
        private static final int MAX_TRACKED = 1_000;
        private final ImClient client;
        private final String conversation;
        private final PrintStream out;
        private final TreeMap<Long, MessageStatus> tracked = new TreeMap<>();

        OwnStatus(ImClient client, String conversation, PrintStream out) {
            this.client = client;
            this.conversation = conversation;
            this.out = out;
        }

        void sent(long seq) {
            tracked.put(seq, MessageStatus.SENT);
            if (tracked.size() > MAX_TRACKED) {
                tracked.pollFirstEntry();
            }
            update();
        }

        void update() {
            List<Long> delivered = new ArrayList<>();
            List<Long> read = new ArrayList<>();
            for (var it = tracked.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                MessageStatus now = client.statusOf(conversation, e.getKey());
                if (now == e.getValue()) {
                    continue;
                }
                if (now == MessageStatus.READ) {
                    read.add(e.getKey());
                    it.remove();
                } else if (now == MessageStatus.DELIVERED) {
                    delivered.add(e.getKey());
                    e.setValue(now);
                }
            }
            if (!delivered.isEmpty()) {
                out.println("-- \u2713\u2713 delivered (" + seqs(delivered) + ")");
            }
            if (!read.isEmpty()) {
                out.println("-- read (" + seqs(read) + ")");
            }
        }

        static String seqs(List<Long> seqs) {
            return seqs.size() == 1 ? "seq " + seqs.get(0)
                    : "seq " + seqs.get(0) + ".." + seqs.get(seqs.size() - 1) + ", " + seqs.size() + " messages";
        }
    }

    /**
     * Whom this chat has told to be typing, and when: a peer typing along sends a signal every few
     * seconds, and a line for each would bury the conversation. At most one line per user every
     * {@value #EVERY_SECONDS} s; bounded (forgotten all at once when full).
     */
    static final class TypingNotices {
        static final int EVERY_SECONDS = 5;
        private static final int MAX_USERS = 1_000;
        private final Map<Long, Long> lastShown = new HashMap<>();

        boolean due(long userId, long nowNanos) {
            Long last = lastShown.get(userId);
            if (last != null && nowNanos - last < TimeUnit.SECONDS.toNanos(EVERY_SECONDS)) {
                return false;
            }
            if (lastShown.size() >= MAX_USERS) {
                lastShown.clear();
            }
            lastShown.put(userId, nowNanos);
            return true;
        }
    }

    /**
     * Which seqs this chat has printed: everything up to a contiguous mark, plus a bounded set
     * above it. History printed up to N means older messages arriving later are not news.
     */
    static final class Shown {
        private long upTo;
        private final TreeSet<Long> above = new TreeSet<>();

        void startAfter(long seq) {
            upTo = Math.max(upTo, seq);
            above.headSet(upTo, true).clear();
        }

        /** True when seq had not been shown (and now counts as shown). */
        boolean add(long seq) {
            if (seq <= upTo || !above.add(seq)) {
                return false;
            }
            while (!above.isEmpty() && above.first() == upTo + 1) {
                upTo = above.pollFirst();
            }
            if (above.size() > MAX_SHOWN_ABOVE) {
                upTo = above.pollFirst();
            }
            return true;
        }
    }
}
