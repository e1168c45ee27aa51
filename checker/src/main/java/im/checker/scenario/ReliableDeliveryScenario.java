package im.checker.scenario;

import im.checker.proxy.FaultPlan;
import im.checker.system.CheckedSystem;
import im.checker.system.StandaloneSystem;
import im.client.sdk.ConnectionState;
import im.client.sdk.FriendRequest;
import im.client.sdk.GroupView;
import im.client.sdk.ImClient;
import im.client.sdk.ImRestClient;
import im.protocol.client.ConversationIds;
import im.protocol.client.JoinPolicy;
import im.protocol.client.Message;
import im.protocol.client.Send;
import com.google.protobuf.ByteString;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The run: the system under test (the standalone app, or the local cluster), a fault proxy in
 * front of each of its push TCP listeners, users paired into 1:1 conversations (partners on
 * different push nodes when there are several) and put into groups (members on every node),
 * every device connected through the proxies with the SDK, sends to partners and groups at a
 * bounded rate while frames are dropped and delayed, connections cut and the system disrupted
 * (restarts, node kills, broker restarts); then faults stop, every send must be acknowledged,
 * every device catches up, and each device's view is checked against the others' and against the
 * store ({@link DeliveryVerdict}).
 */
public final class ReliableDeliveryScenario {

    static final String PASSWORD = "checker password 1";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    // A dropped Send or SendAck is noticed after this; short so a run does not crawl under drops.
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final int CONNECT_ATTEMPTS = 20;
    private static final int LOGIN_ATTEMPTS = 60;

    private final CheckerSettings settings;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private final AtomicLong clientStops = new AtomicLong();
    private final CheckedSystem system;
    private ScheduledExecutorService background;
    private PushProxies proxies;
    private final List<SimUser> users = new ArrayList<>();
    private final List<SimDevice> devices = new ArrayList<>();
    /** Every conversation of the run (private chats, then groups) by id. */
    private final Map<String, SimConversation> conversations = new LinkedHashMap<>();
    private final Map<SimUser, Set<String>> memberOf = new LinkedHashMap<>();
    private final List<SendRecord> records = new ArrayList<>();

    /** Against the standalone app of {@code settings} ({@code app}, {@code work}, {@code serverHeap}, {@code killRestarts}). */
    public ReliableDeliveryScenario(CheckerSettings settings, PrintStream out) {
        this(settings, new StandaloneSystem(settings.app(), settings.work(), settings.serverHeap(),
                settings.killRestarts()), out);
    }

    /**
     * Against {@code system}, which this run starts and closes; {@code settings.restarts()} is the
     * number of its faults. {@code app}, {@code serverHeap} and {@code killRestarts} of the settings
     * are the standalone form's and mean nothing here.
     */
    public ReliableDeliveryScenario(CheckerSettings settings, CheckedSystem system, PrintStream out) {
        this.settings = settings;
        this.system = system;
        this.out = out;
    }

    public CheckerReport run() throws Exception {
        say("parameters: " + settings.describe());
        background = Executors.newScheduledThreadPool(2, daemon("checker-background"));
        try {
            system.start();
            say("system ready: " + system.describe());
            proxies = PushProxies.start(system.pushTcp(), settings.seed());
            say("fault prox" + (proxies.size() == 1 ? "y" : "ies") + " on " + proxies.describe());
            signUpPairAndGroup();
            connectAll();
            proxies.plan(new FaultPlan(settings.dropRate(), settings.delayRate(), settings.maxDelayMillis(),
                    settings.killRate()));
            proxies.killsPerSecond(settings.killsPerSecond());
            Future<?> progress = background.scheduleAtFixedRate(this::progress, PROGRESS_EVERY.toMillis(),
                    PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            try {
                sendAll();
                proxies.plan(FaultPlan.NONE);
                proxies.killsPerSecond(0);
                say("faults stopped; proxy " + proxies.summary());
                awaitAcks();
                // A fresh Hello on every device: what retransmission gave up on comes with catch-up.
                proxies.killAll();
                Map<String, TreeMap<Long, Message>> stored = audit();
                awaitCatchUp(stored);
            } finally {
                progress.cancel(false);
            }
            Map<String, TreeMap<Long, Message>> stored = audit();
            CheckerReport report = judge(stored);
            say("done; proxy " + proxies.summary());
            return report;
        } finally {
            for (SimDevice d : devices) {
                d.closing = true;
            }
            for (SimDevice d : devices) {
                if (d.client != null) {
                    d.client.close();
                }
            }
            if (proxies != null) {
                proxies.close();
            }
            background.shutdownNow();
            system.close();
        }
    }

    // ---- set-up ------------------------------------------------------------------------------

    private void signUpPairAndGroup() {
        ImRestClient rest = system.rest(Duration.ofSeconds(30));
        for (int i = 0; i < settings.users(); i++) {
            String username = "chk-u" + i;
            rest.register(username, PASSWORD, "checker user " + i);
            var tokens = rest.login(username, PASSWORD);
            users.add(new SimUser(i, username, tokens.userId(), tokens.accessToken()));
        }
        for (int i = 0; i + 1 < users.size(); i += 2) {
            pair(rest, users.get(i), users.get(i + 1));
        }
        if (users.size() % 2 == 1) {
            pair(rest, users.get(users.size() - 1), users.get(0));
        }
        formGroups(rest);
        long groups = conversations.values().stream().filter(SimConversation::isGroup).count();
        say("signed up " + users.size() + " users in " + (conversations.size() - groups) + " private conversations"
                + (groups == 0 ? "" : " and " + groups + " groups of " + settings.groups().size()));
    }

    private void pair(ImRestClient rest, SimUser a, SimUser b) {
        FriendRequest request = rest.requestFriend(a.accessToken, b.username);
        if (!"ACCEPTED".equals(request.status())) {
            rest.acceptFriendRequest(b.accessToken, request.requestId());
        }
        a.partners.add(b);
        b.partners.add(a);
        add(new SimConversation(ConversationIds.privateChat(a.userId, b.userId), 0, List.of(a, b)));
    }

    /** The groups, each made by its first member with the others in it; their members stay for the run. */
    private void formGroups(ImRestClient rest) {
        GroupWorkload workload = settings.groups();
        for (int k = 0; k < workload.count(); k++) {
            List<SimUser> members = workload.members(k, users.size()).stream().map(users::get).toList();
            SimUser owner = members.get(0);
            List<Long> others = members.subList(1, members.size()).stream().map(u -> u.userId).toList();
            GroupView group = rest.createGroup(owner.accessToken, "checker group " + k, others,
                    JoinPolicy.ADMINS_INVITE);
            SimConversation conversation = new SimConversation(group.conversationId(), group.groupId(), members);
            add(conversation);
            members.forEach(member -> member.groups.add(conversation));
        }
    }

    private void add(SimConversation conversation) {
        conversations.put(conversation.id(), conversation);
        for (SimUser member : conversation.members()) {
            memberOf.computeIfAbsent(member, k -> new HashSet<>()).add(conversation.id());
        }
    }

    /**
     * The push node (0-based) a user's devices try first: partners 2k and 2k+1 on different nodes;
     * an odd last user, who talks to user 0, on the node after user 0's.
     */
    static int homeNode(int userIndex, int userCount, int nodes) {
        if (userCount % 2 == 1 && userIndex == userCount - 1) {
            return 1 % nodes;
        }
        return userIndex % nodes;
    }

    private void connectAll() throws InterruptedException {
        for (SimUser user : users) {
            List<URI> endpoints = proxies.endpointsFrom(homeNode(user.index, users.size(), proxies.size()));
            for (int j = 0; j < settings.devicesPerUser(); j++) {
                SimDevice device = new SimDevice(user, "dev" + j);
                device.client = newClient(device, endpoints);
                user.devices.add(device);
                devices.add(device);
            }
        }
        for (SimDevice device : devices) {
            connect(device);
        }
        say("connected " + devices.size() + " devices through the prox" + (proxies.size() == 1 ? "y" : "ies"));
    }

    /** A device's client; {@code endpoints} are the proxies, its home node's first. */
    private ImClient newClient(SimDevice device, List<URI> endpoints) {
        Set<String> conversationsOfUser = memberOf.get(device.user);
        return ImClient.builder()
                .endpoints(endpoints)
                .accessToken(device.user.accessToken)
                .deviceId(device.deviceId)
                .requestTimeout(REQUEST_TIMEOUT)
                .connectTimeout(Duration.ofSeconds(5))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .tokenSupplier(() -> CompletableFuture.supplyAsync(() -> freshToken(device.user), background))
                .listener(new ImClient.Listener() {
                    @Override
                    public void onMessage(Message message) {
                        device.shown(message, conversationsOfUser);
                    }

                    @Override
                    public void onConnectionState(ConnectionState state) {
                        device.state = state;
                    }

                    @Override
                    public void onDisconnected(Throwable cause) {
                        if (!device.closing && cause != null) {
                            // The SDK gave up on its own (a final error): the app would connect again.
                            clientStops.incrementAndGet();
                            device.stops.add(cause.toString());
                            background.schedule(() -> reconnect(device), 200, TimeUnit.MILLISECONDS);
                        }
                    }
                })
                .build();
    }

    private void connect(SimDevice device) throws InterruptedException {
        Throwable last = null;
        for (int attempt = 0; attempt < CONNECT_ATTEMPTS && !device.closing; attempt++) {
            try {
                device.client.connect().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
                Thread.sleep(250L * (attempt + 1));
            }
        }
        throw new IllegalStateException("device " + device.name() + " could not connect", last);
    }

    private void reconnect(SimDevice device) {
        try {
            if (device.client.state() == ConnectionState.DISCONNECTED && !device.closing) {
                device.reconnects.incrementAndGet();
                connect(device);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            device.stops.add("reconnect failed: " + e);
        }
    }

    /** A new access token for the SDK when the old one expired: log in again (the server may be restarting). */
    private String freshToken(SimUser user) {
        ImRestClient rest = system.rest(Duration.ofSeconds(10));
        RuntimeException last = null;
        for (int attempt = 0; attempt < LOGIN_ATTEMPTS; attempt++) {
            try {
                String token = rest.login(user.username, PASSWORD).accessToken();
                user.accessToken = token;
                return token;
            } catch (RuntimeException e) {
                last = e;
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
        throw last;
    }

    // ---- sending -----------------------------------------------------------------------------

    private void sendAll() throws Exception {
        Random random = new Random(settings.seed() ^ 0x5EED5EEDL);
        Semaphore inFlight = new Semaphore(settings.maxInFlight());
        long start = System.nanoTime();
        double nanosPerSend = 1e9 / settings.ratePerSecond();
        try (FaultSchedule faults = new FaultSchedule(system, settings.restarts(), settings.messages(), this::say)) {
            for (int i = 0; i < settings.messages(); i++) {
                faults.beforeSend(i);
                long due = start + (long) (i * nanosPerSend);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!inFlight.tryAcquire(settings.settleTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("no send acknowledged for " + settings.settleTimeout()
                            + " with " + settings.maxInFlight() + " in flight; stuck at send " + i);
                }
                SimUser from = users.get(random.nextInt(users.size()));
                SimDevice device = from.devices.get(random.nextInt(from.devices.size()));
                send(i, device, target(from, random), inFlight);
            }
            faults.awaitLast();
        }
        say("all " + settings.messages() + " sends made");
    }

    /**
     * Where a send of {@code from} goes: one of its groups with the workload's share (when it is in
     * any), else a partner. A user in no group draws no more than it did before groups existed.
     */
    private SimConversation target(SimUser from, Random random) {
        if (!from.groups.isEmpty() && random.nextDouble() < settings.groups().sendShare()) {
            return from.groups.get(random.nextInt(from.groups.size()));
        }
        SimUser to = from.partners.get(random.nextInt(from.partners.size()));
        return conversations.get(ConversationIds.privateChat(from.userId, to.userId));
    }

    private void send(int i, SimDevice device, SimConversation to, Semaphore inFlight) {
        int order = device.sendsMade.merge(to.id(), 1, Integer::sum) - 1;
        SendRecord record = new SendRecord(i, device, to.id(),
                "chk-" + Long.toString(settings.seed(), 36) + "-" + i, order);
        synchronized (records) {
            records.add(record);
        }
        awaitUsable(device);
        Send.Builder send = Send.newBuilder()
                .setClientMsgId(record.clientMsgId)
                .setBody(ByteString.copyFrom("m" + i + " from " + device.name(), StandardCharsets.UTF_8));
        if (to.isGroup()) {
            send.setGroupId(to.groupId());
        } else {
            send.setToUserId(ConversationIds.peerOf(to.id(), device.user.userId));
        }
        device.client.send(send.build()).whenComplete((ack, failure) -> {
            if (ack != null) {
                device.acked(ack);
            }
            record.complete(ack, failure);
            inFlight.release();
        });
    }

    /** A stopped client is being connected again by the scenario; its sends wait for that (bounded). */
    private void awaitUsable(SimDevice device) {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (device.client.state() == ConnectionState.DISCONNECTED && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    // ---- settling ----------------------------------------------------------------------------

    private void awaitAcks() {
        long deadline = System.nanoTime() + settings.settleTimeout().toNanos();
        while (System.nanoTime() < deadline && records.stream().anyMatch(r -> !r.done())) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        long waiting = records.stream().filter(r -> !r.done()).count();
        long acked = records.stream().filter(r -> r.ack() != null).count();
        List<SendRecord> toGroups = records.stream().filter(this::toGroup).toList();
        long groupAcked = toGroups.stream().filter(r -> r.ack() != null).count();
        say("sends settled: acked " + acked + "/" + records.size() + " (to groups " + groupAcked + "/" + toGroups.size()
                + ")" + (waiting > 0 ? ", still waiting " + waiting : ""));
    }

    private void awaitCatchUp(Map<String, TreeMap<Long, Message>> stored) {
        long deadline = System.nanoTime() + settings.settleTimeout().toNanos();
        long lastSaid = System.nanoTime();
        long behind = behind(stored);
        while (behind > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            behind = behind(stored);
            if (System.nanoTime() - lastSaid > PROGRESS_EVERY.toNanos()) {
                say("catching up: " + behind + " device-conversations behind the store");
                lastSaid = System.nanoTime();
            }
        }
        say(behind == 0 ? "every device caught up" : behind + " device-conversations still behind the store");
    }

    /** Device-conversations whose contiguous view is short of the stored last seq. */
    private long behind(Map<String, TreeMap<Long, Message>> stored) {
        long n = 0;
        for (SimDevice d : devices) {
            for (String conversation : memberOf.get(d.user)) {
                TreeMap<Long, Message> messages = stored.get(conversation);
                long last = messages == null || messages.isEmpty() ? 0 : messages.lastKey();
                if (d.contiguous(conversation) < last) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Every conversation as stored, read straight from a push node (no proxy). */
    private Map<String, TreeMap<Long, Message>> audit() throws Exception {
        int maxPages = settings.messages() / ImClient.MAX_SYNC_PAGE + 10;
        return new StoreReader(system.storeReader(), this::freshToken, maxPages).readAll(conversations.values());
    }

    // ---- the verdict -------------------------------------------------------------------------

    private CheckerReport judge(Map<String, TreeMap<Long, Message>> stored) {
        List<SendRecord> made;
        synchronized (records) {
            made = List.copyOf(records);
        }
        return new DeliveryVerdict(made, devices, conversations, settings.groups()).judge(stored, clientStops.get());
    }

    // ---- progress ----------------------------------------------------------------------------

    private void progress() {
        try {
            List<SendRecord> snapshot;
            synchronized (records) {
                snapshot = List.copyOf(records);
            }
            long acked = snapshot.stream().filter(r -> r.ack() != null).count();
            long failed = snapshot.stream().filter(r -> r.done() && r.ack() == null).count();
            long connected = devices.stream().filter(d -> d.state == ConnectionState.CONNECTED).count();
            List<SendRecord> toGroups = snapshot.stream().filter(this::toGroup).toList();
            long groupAcked = toGroups.stream().filter(r -> r.ack() != null).count();
            say(String.format(java.util.Locale.ROOT, "progress: sent %d/%d acked %d failed %d waiting %d "
                            + "(to groups: sent %d acked %d); devices connected %d/%d; system %s; proxy %s",
                    snapshot.size(), settings.messages(), acked, failed, snapshot.size() - acked - failed,
                    toGroups.size(), groupAcked, connected, devices.size(), system.status(), proxies.summary()));
        } catch (RuntimeException e) {
            say("progress: " + e);
        }
    }

    private boolean toGroup(SendRecord r) {
        return conversations.get(r.conversationId).isGroup();
    }

    private void say(String line) {
        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        out.println(String.format(java.util.Locale.ROOT, "[%4ds] %s", s, line));
        out.flush();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
