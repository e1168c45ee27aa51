package im.system;

import static im.system.Conversations.history;
import static im.system.Conversations.msgIds;
import static im.system.Conversations.oneTo;
import static im.system.Conversations.sendInOrder;
import static im.system.Conversations.seqs;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import im.checker.LocalCluster;
import im.client.sdk.Avatar;
import im.client.sdk.GroupView;
import im.client.sdk.ImApiException;
import im.client.sdk.ImClient;
import im.client.sdk.ImErrorException;
import im.client.sdk.ImRestClient;
import im.protocol.client.ConversationIds;
import im.protocol.client.ErrorCode;
import im.protocol.client.JoinPolicy;
import im.protocol.client.Message;
import im.protocol.client.SendAck;
import im.system.Accounts.Account;
import im.system.Devices.Device;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local cluster (separate JVMs for auth, user, leaf, two routers and two push nodes, on
 * MariaDB, Redis, Kafka and RabbitMQ) carries chats between devices on different push nodes, and
 * keeps them whole when a push node or a router dies. Node kills come last: each test leaves every
 * node running again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterChatTest {

    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(60);

    private LocalCluster cluster;
    private ImRestClient rest;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new LocalCluster(Path.of(System.getProperty("im.repository", "..")),
                Path.of(System.getProperty("im.system-tests.work", "target/system-tests"))).up();
        rest = cluster.rest();
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void chatAcrossTwoPushNodes_reachesEachPeerLive_onceAndInOrder() throws Exception {
        Friends chat = friends("alice", "bob");
        Account alice = chat.a();
        Account bob = chat.b();
        String conversation = chat.conversation();
        int perSide = 20;

        try (Device alicePhone = Devices.connect(cluster.pushTcp(1), alice.accessToken(), "phone");
                Device bobLaptop = Devices.connect(cluster.pushWebSocket(2), bob.accessToken(), "laptop")) {
            ExecutorService senders = Executors.newFixedThreadPool(2);
            Future<List<SendAck>> fromAlice = senders.submit(
                    () -> sendInOrder(alicePhone.client, bob.userId(), "alice", perSide));
            Future<List<SendAck>> fromBob = senders.submit(
                    () -> sendInOrder(bobLaptop.client, alice.userId(), "bob", perSide));
            List<SendAck> aliceAcks = fromAlice.get(120, TimeUnit.SECONDS);
            List<SendAck> bobAcks = fromBob.get(120, TimeUnit.SECONDS);
            senders.shutdown();

            // Neither device reconnects meanwhile: what they are shown came by the push nodes'
            // Kafka topics, not by a later Hello.
            await("each side is shown the other's messages").atMost(SHOWN_WITHIN)
                    .until(() -> bobLaptop.shown.size() >= perSide && alicePhone.shown.size() >= perSide);
            assertShownOnce(bobLaptop, aliceAcks);
            assertShownOnce(alicePhone, bobAcks);
            List<Message> aliceView = history(alicePhone.client, conversation);
            assertEquals(oneTo(2 * perSide), seqs(aliceView), "stored once each, no gap");
            assertEquals(msgIds(aliceView), msgIds(history(bobLaptop.client, conversation)),
                    "both devices read the same order");
        }
    }

    @Test
    @Order(1)
    void groupAcrossTwoPushNodes_everyMembersDevicesShowEachMessageLiveOnceInOneOrder() throws Exception {
        Account alice = Accounts.signUp(rest, "alice");
        Account bob = Accounts.signUp(rest, "bob");
        Account carol = Accounts.signUp(rest, "carol");
        GroupView group = rest.createGroup(alice.accessToken(), "across nodes",
                List.of(bob.userId(), carol.userId()), JoinPolicy.ADMINS_INVITE);
        int perMember = 10;

        try (Device alicePhone = Devices.connect(cluster.pushTcp(1), alice.accessToken(), "phone");
                Device bobLaptop = Devices.connect(cluster.pushWebSocket(2), bob.accessToken(), "laptop");
                Device carolPhone = Devices.connect(cluster.pushWebSocket(1), carol.accessToken(), "phone");
                Device carolTablet = Devices.connect(cluster.pushTcp(2), carol.accessToken(), "tablet")) {
            ExecutorService senders = Executors.newFixedThreadPool(3);
            List<Future<List<SendAck>>> sending = new ArrayList<>();
            for (Device device : List.of(alicePhone, bobLaptop, carolPhone)) {
                sending.add(senders.submit(() -> {
                    List<SendAck> acks = new ArrayList<>();
                    for (int i = 0; i < perMember; i++) {
                        acks.add(device.client.sendToGroup(group.groupId(), ("m-" + i).getBytes(StandardCharsets.UTF_8))
                                .get(30, TimeUnit.SECONDS));
                    }
                    return acks;
                }));
            }
            List<Long> sent = new ArrayList<>();
            for (Future<List<SendAck>> acks : sending) {
                acks.get(120, TimeUnit.SECONDS).forEach(ack -> sent.add(ack.getMsgId()));
            }
            senders.shutdown();

            // Shown live (no device reconnects): the router's one event per node reached both nodes.
            await("every device is shown the group's messages").atMost(SHOWN_WITHIN).until(() ->
                    userMessageIds(alicePhone).size() >= 2 * perMember && userMessageIds(bobLaptop).size() >= 2 * perMember
                            && userMessageIds(carolPhone).size() >= 2 * perMember
                            && userMessageIds(carolTablet).size() >= 3 * perMember);
            for (Device device : List.of(alicePhone, bobLaptop, carolPhone, carolTablet)) {
                List<Long> shown = userMessageIds(device);
                assertEquals(shown.size(), new HashSet<>(shown).size(), "shown once each");
            }
            assertEquals(new HashSet<>(sent), new HashSet<>(userMessageIds(carolTablet)));
            List<Message> reference = history(alicePhone.client, group.conversationId());
            assertEquals(oneTo(1 + 3 * perMember), seqs(reference), "one seq per message after the creation, no gap");
            for (Device device : List.of(bobLaptop, carolPhone, carolTablet)) {
                assertEquals(msgIds(reference), msgIds(history(device.client, group.conversationId())),
                        "one order on every device");
            }
        }
    }

    private static List<Long> userMessageIds(Device device) {
        return msgIds(device.shownInConversationOrder().stream().filter(message -> !message.hasGroupEvent()).toList());
    }

    @Test
    @Order(2)
    void deviceOpeningASessionOnAnotherNode_closesItsOlderSessionThere() throws Exception {
        Account carol = Accounts.signUp(rest, "carol");
        AtomicReference<Throwable> firstEnded = new AtomicReference<>();
        ImClient first = ImClient.builder().endpoint(cluster.pushTcp(1)).accessToken(carol.accessToken())
                .deviceId("tablet").requestTimeout(Duration.ofSeconds(20))
                .listener(new ImClient.Listener() {
                    @Override
                    public void onDisconnected(Throwable cause) {
                        firstEnded.set(cause);
                    }
                }).build();
        try (first; Device second = device(List.of(cluster.pushTcp(2)), carol, "tablet")) {
            first.connect().get(30, TimeUnit.SECONDS);
            second.client.connect().get(30, TimeUnit.SECONDS);

            await("the older session is closed").atMost(SHOWN_WITHIN).until(() -> firstEnded.get() != null);
            ImErrorException closed = assertInstanceOf(ImErrorException.class, firstEnded.get());
            assertEquals(ErrorCode.SESSION_REPLACED, closed.getCode());
        }
    }

    @Test
    @Order(2)
    void logoutEverywhere_closesTheSessionsOnBothPushNodes_andTheOldTokenIsRefusedByUserRest() throws Exception {
        Account phoneLogin = Accounts.signUp(rest, "erin");
        Account laptopLogin = Accounts.logIn(rest, phoneLogin.username());
        List<AtomicReference<Throwable>> ended = List.of(new AtomicReference<>(), new AtomicReference<>());
        List<ImClient> devices = new ArrayList<>();
        for (int node = 1; node <= 2; node++) {
            AtomicReference<Throwable> end = ended.get(node - 1);
            devices.add(ImClient.builder().endpoint(cluster.pushTcp(node))
                    .accessToken((node == 1 ? phoneLogin : laptopLogin).accessToken())
                    .deviceId("device-" + node).requestTimeout(Duration.ofSeconds(20))
                    .listener(new ImClient.Listener() {
                        @Override
                        public void onDisconnected(Throwable cause) {
                            end.set(cause);
                        }
                    }).build());
        }
        try (ImClient phone = devices.get(0); ImClient laptop = devices.get(1)) {
            phone.connect().get(30, TimeUnit.SECONDS);
            laptop.connect().get(30, TimeUnit.SECONDS);

            rest.logoutAll(laptopLogin.accessToken());

            await("both nodes close their session").atMost(Duration.ofSeconds(10))
                    .until(() -> ended.get(0).get() != null && ended.get(1).get() != null);
            for (AtomicReference<Throwable> end : ended) {
                assertEquals(ErrorCode.SESSION_REVOKED, assertInstanceOf(ImErrorException.class, end.get()).getCode());
            }
        }
        ImApiException refused = assertThrows(ImApiException.class, () -> rest.me(phoneLogin.accessToken()));
        assertEquals("SESSION_REVOKED", refused.getCode());
    }

    @Test
    @Order(3)
    void killedPushNode_itsDevicesReconnectToTheOtherNode_andMissNothing_andOnesThatCannotAreSeenOffline()
            throws Exception {
        Friends chat = friends("dave", "erin");
        Account dave = chat.a();
        Account erin = chat.b();
        Account hal = Accounts.signUp(rest, "hal");
        Accounts.befriend(rest, hal, erin);

        try (Device davePhone = device(List.of(cluster.pushTcp(1), cluster.pushTcp(2)), dave, "phone");
                Device erinPhone = device(List.of(cluster.pushTcp(2)), erin, "phone");
                Device halPhone = device(List.of(cluster.pushTcp(1)), hal, "phone")) {
            davePhone.client.connect().get(30, TimeUnit.SECONDS);
            erinPhone.client.connect().get(30, TimeUnit.SECONDS);
            halPhone.client.connect().get(30, TimeUnit.SECONDS);
            await("erin hears hal come online").atMost(SHOWN_WITHIN).until(() -> erinPhone.presences.stream()
                    .anyMatch(p -> p.getUserId() == hal.userId() && p.getOnline()));
            List<SendAck> before = sendInOrder(erinPhone.client, dave.userId(), "before", 5);
            await().atMost(SHOWN_WITHIN).until(() -> davePhone.shown.size() >= 5);

            cluster.kill("push-1");
            List<SendAck> after = sendInOrder(erinPhone.client, dave.userId(), "after", 10);

            await("dave's phone, moved to push-2, is shown everything").atMost(SHOWN_WITHIN)
                    .until(() -> davePhone.shown.size() >= 15);
            assertShownOnce(davePhone, concat(before, after));
            assertEquals(oneTo(15), seqs(history(davePhone.client, chat.conversation())));
            // hal's phone knows no other node: its friend hears it go offline, though no node said so.
            await("erin hears hal go offline").atMost(SHOWN_WITHIN).until(() -> erinPhone.presences.stream()
                    .anyMatch(p -> p.getUserId() == hal.userId() && !p.getOnline()));
        } finally {
            cluster.start("push-1");
        }
    }

    @Test
    @Order(4)
    void killedRouters_sendsGoOnThroughTheOther_storedOnceWithoutGaps() throws Exception {
        Friends chat = friends("frank", "grace");
        Account grace = chat.b();

        try (Device frankPhone = device(List.of(cluster.pushTcp(1)), chat.a(), "phone");
                Device gracePhone = device(List.of(cluster.pushTcp(2)), grace, "phone")) {
            frankPhone.client.connect().get(30, TimeUnit.SECONDS);
            gracePhone.client.connect().get(30, TimeUnit.SECONDS);
            // Each router in turn is killed with sends right behind: whichever router serves this
            // conversation is down once, and its sends must go through the other.
            List<SendAck> acks = new ArrayList<>(sendInOrder(frankPhone.client, grace.userId(), "before", 10));
            for (String router : LocalCluster.ROUTERS) {
                cluster.kill(router);
                acks.addAll(sendInOrder(frankPhone.client, grace.userId(), "without-" + router, 10));
                cluster.start(router);
            }
            acks.addAll(sendInOrder(frankPhone.client, grace.userId(), "after", 10));

            await().atMost(SHOWN_WITHIN).until(() -> gracePhone.shown.size() >= acks.size());
            assertShownOnce(gracePhone, acks);
            assertEquals(oneTo(acks.size()), seqs(history(gracePhone.client, chat.conversation())),
                    "stored once each, no gap");
        } finally {
            for (String router : LocalCluster.ROUTERS) {
                cluster.start(router);
            }
        }
    }

    @Test
    @Order(1)
    void avatarStoredByARouter_isNamedByTheUserServiceAndDownloadedByAStranger() throws Exception {
        Account gina = Accounts.signUp(rest, "gina");
        Account hank = Accounts.signUp(rest, "hank");
        BufferedImage picture = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);
        Path dir = Files.createTempDirectory("im-cluster-avatar");

        Avatar avatar = rest.setAvatar(gina.accessToken(), Files.write(dir.resolve("gina.png"), png.toByteArray()),
                "image/png");
        String seen = rest.userByName(hank.accessToken(), gina.username()).avatarBlobId();
        assertEquals(avatar.blobId(), seen);
        assertArrayEquals(png.toByteArray(), Files.readAllBytes(rest.downloadAvatar(hank.accessToken(), gina.userId(),
                seen, dir.resolve("seen.png")).file()));
    }

    @Test
    @Order(1)
    void friendsOnTwoPushNodes_hearPresenceTypingUnreadCountsAndRecallsFromEachOther() throws Exception {
        Friends pair = friends("erin", "frank");
        Account erin = pair.a();
        Account frank = pair.b();
        String chat = pair.conversation();

        try (Device erinPhone = Devices.connect(cluster.pushTcp(1), erin.accessToken(), "phone")) {
            try (Device frankLaptop = Devices.connect(cluster.pushWebSocket(2), frank.accessToken(), "laptop")) {
                await("erin hears frank come online").atMost(SHOWN_WITHIN).until(() -> erinPhone.presences.stream()
                        .anyMatch(p -> p.getUserId() == frank.userId() && p.getOnline()));

                erinPhone.client.typing(chat, true);
                await("frank sees erin typing").atMost(SHOWN_WITHIN).until(() -> frankLaptop.typings.stream()
                        .anyMatch(t -> t.getUserId() == erin.userId() && t.getTyping()));

                SendAck sent = erinPhone.client.sendText(frank.userId(), "on my way").get(30, TimeUnit.SECONDS);
                await("frank's unread count goes up live").atMost(SHOWN_WITHIN).until(
                        () -> frankLaptop.client.conversation(chat), v -> v != null && v.unread() == 1);
                assertEquals(1, frankLaptop.client.conversations("", 10).get(30, TimeUnit.SECONDS)
                        .getConversations(0).getUnread());

                SendAck recall = erinPhone.client.recall(chat, sent.getSeq()).get(30, TimeUnit.SECONDS);
                await("frank is told of the recall").atMost(SHOWN_WITHIN).until(() -> frankLaptop.shown.stream()
                        .anyMatch(m -> m.getSeq() == recall.getSeq() && m.hasChange()));
                assertTrue(history(frankLaptop.client, chat).get(0).getRecalled(), "the recalled message says nothing");
            }
            await("erin hears frank leave").atMost(SHOWN_WITHIN).until(() -> erinPhone.presences.stream()
                    .anyMatch(p -> p.getUserId() == frank.userId() && !p.getOnline() && p.getLastSeenMs() > 0));
        }
    }

    /** Two new users who are friends, and their conversation. */
    private record Friends(Account a, Account b, String conversation) {
    }

    private Friends friends(String a, String b) {
        Account first = Accounts.signUp(rest, a);
        Account second = Accounts.signUp(rest, b);
        Accounts.befriend(rest, first, second);
        return new Friends(first, second, ConversationIds.privateChat(first.userId(), second.userId()));
    }

    /** A device of the account that connects through the given push nodes in turn, not yet connected. */
    private static Device device(List<URI> endpoints, Account account, String deviceId) {
        return Devices.unconnected(endpoints, account.accessToken(), deviceId);
    }

    private static List<SendAck> concat(List<SendAck> a, List<SendAck> b) {
        List<SendAck> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void assertShownOnce(Device receiver, List<SendAck> sent) {
        List<Long> shown = msgIds(receiver.shownInConversationOrder());
        assertEquals(shown.size(), new HashSet<>(shown).size(), "no message shown twice");
        assertEquals(sent.stream().map(SendAck::getMsgId).sorted().toList(), shown.stream().sorted().toList(),
                "every message shown");
    }
}
